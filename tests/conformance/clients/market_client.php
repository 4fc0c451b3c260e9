<?php
// Plays Aliyun's PHP demo: curl with CURLOPT_HEADER, X-Ca-Error-Message found with a
// case-sensitive strpos in the raw header block and cut after the colon plus one character.
// Usage: php market_client.php < cases: a call per line, <base-url> TAB <appcode|-> TAB
// <path?query> [TAB "Name: value" ...]; one BRANCH line per call.
function call($args) {
    $headers = array();
    if ($args[1] !== '-') array_push($headers, "Authorization:APPCODE " . $args[1]);
    for ($i = 3; $i < count($args); $i++) array_push($headers, $args[$i]);

    $curl = curl_init();
    curl_setopt($curl, CURLOPT_CUSTOMREQUEST, "GET");
    curl_setopt($curl, CURLOPT_URL, $args[0] . $args[2]);
    curl_setopt($curl, CURLOPT_HTTPHEADER, $headers);
    curl_setopt($curl, CURLOPT_FAILONERROR, false);
    curl_setopt($curl, CURLOPT_RETURNTRANSFER, true);
    curl_setopt($curl, CURLOPT_HEADER, true);
    $out = curl_exec($curl);
    $httpCode = curl_getinfo($curl, CURLINFO_HTTP_CODE);
    $headerSize = curl_getinfo($curl, CURLINFO_HEADER_SIZE);
    if ($out === false) return "transport_error " . curl_error($curl);
    return branch($httpCode, substr($out, 0, $headerSize), substr($out, $headerSize));
}

function header_value($header, $name) {
    $pos = strpos($header, $name . ":");
    if ($pos === false) return null;
    $start = $pos + strlen($name) + 2;
    return substr($header, $start, strpos($header, "\r\n", $start) - $start);
}

function branch($httpCode, $header, $body) {
    if ($httpCode == 200) {
        $data = json_decode($body, true);
        return (is_array($data) && $data['ok'] === 1) ? "ok" : "other_error";
    }
    $error = header_value($header, "X-Ca-Error-Message");
    if ($error === null) {
        $data = json_decode($body, true);
        return (is_array($data) && $data['ok'] === 0) ? "vendor_refused" : "other_error";
    }
    if ($httpCode == 400 && $error === "Invalid AppCode `not exists`") return "invalid_appcode";
    if ($httpCode == 400 && $error === "Invalid Url") return "invalid_url";
    if ($httpCode == 400 && $error === "Invalid Param Location") return "invalid_param_location";
    if ($httpCode == 403 && $error === "Unauthorized") return "unauthorized";
    if ($httpCode == 403 && ($error === "Quota Exhausted" || $error === "Api Market Subscription quota exhausted")) return "quota_exhausted";
    if ($httpCode >= 500) return "gateway_error";
    return "other_error";
}

while (($line = fgets(STDIN)) !== false) {
    echo "BRANCH " . call(explode("\t", rtrim($line, "\n"))) . "\n";
}
