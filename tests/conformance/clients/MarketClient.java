// Plays the Aliyun market's Java sample: HttpURLConnection, the response headers in a
// case-sensitive map, X-Ca-Error-Message read on any non-200 and compared with equals.
// Usage: java MarketClient < cases: a call per line, <base-url> TAB <appcode|-> TAB <path?query>
// [TAB "Name: value" ...]; one BRANCH line per call.
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class MarketClient {
  public static void main(String[] args) throws Exception {
    BufferedReader cases = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = cases.readLine()) != null; ) {
      System.out.println("BRANCH " + branch(line.split("\t", -1)));
    }
  }

  static String branch(String[] args) {
    try {
      return call(args);
    } catch (NullPointerException e) {
      // What production does to this sample on the vendor's 666: no X-Ca-Error-Message.
      return "crash_header";
    } catch (Exception e) {
      return "transport_error " + e.getClass().getSimpleName();
    }
  }

  static String call(String[] args) throws Exception {
    HttpURLConnection conn = (HttpURLConnection) new URL(args[0] + args[2]).openConnection();
    conn.setRequestMethod("GET");
    if (!args[1].equals("-")) conn.setRequestProperty("Authorization", "APPCODE " + args[1]);
    for (int i = 3; i < args.length; i++) {
      int colon = args[i].indexOf(':');
      conn.setRequestProperty(args[i].substring(0, colon), args[i].substring(colon + 1).trim());
    }
    int httpCode = conn.getResponseCode();
    // A plain HashMap: the names exactly as the server spelled them.
    Map<String, List<String>> headers = new HashMap<>(conn.getHeaderFields());
    if (httpCode == 200) {
      String body = read(conn.getInputStream());
      return body.contains("\"ok\":1") ? "ok" : "other_error";
    }
    String error = headers.get("X-Ca-Error-Message").get(0);
    if (httpCode == 400 && error.equals("Invalid AppCode `not exists`")) return "invalid_appcode";
    if (httpCode == 400 && error.equals("Invalid Url")) return "invalid_url";
    if (httpCode == 400 && error.equals("Invalid Param Location")) return "invalid_param_location";
    if (httpCode == 403 && error.equals("Unauthorized")) return "unauthorized";
    if (httpCode == 403 && error.equals("Quota Exhausted")) return "quota_exhausted";
    if (httpCode >= 500) return "gateway_error";
    return "other_error";
  }

  static String read(InputStream in) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
