// The catalogue: every documented answer, written once as constant data (api.md §4 and §5).
// The billing and HTTP rules are applied by the three builders below, not repeated per entry.

#include "kuaidi/catalogue.hpp"

#include <iterator>

#include "text.hpp"

namespace kuaidi {
namespace {

using std::string_view;

// Vendor answer on the Aliyun market: ok:1 comes with HTTP 200 and is billed (the market bills
// every 2xx, even "nothing found"); anything else comes with HTTP 666 and is not billed.
constexpr scenario market_answer(string_view id, category kind, int ok, string_view msg,
                                 localized_text title, localized_text explanation,
                                 localized_text action, string_view trigger) {
  return scenario{id,    answer_source::vendor, kind,  ok,    ok == 1 ? 200 : 666,
                  msg,   ok == 1,               {},    {},    title,
                  explanation, action,          trigger};
}

// The vendor's own platform (appid + sendtime + sign): every documented message is an ok:0.
constexpr scenario own_platform_answer(string_view id, string_view msg, localized_text title,
                                       localized_text explanation, localized_text action,
                                       string_view trigger) {
  return scenario{id,  answer_source::own_platform, category::own_platform, 0,  666,
                  msg, false,                       {},                     {}, title,
                  explanation, action,              trigger};
}

// Gateway errors have no JSON body and are never 2xx, so never billed.
constexpr scenario gateway_answer(string_view id, category kind, gateway_error classic,
                                  gateway_error vpc, localized_text title,
                                  localized_text explanation, localized_text action,
                                  string_view trigger) {
  return scenario{id, answer_source::gateway, kind,  -1,    classic.http_status,
                  {}, false,                  classic, vpc, title,
                  explanation, action,        trigger};
}

// Where the appid goes in "appid:XXXXXXXX接口已停用".
constexpr string_view appid_placeholder = "XXXXXXXX";

constexpr scenario catalogue[] = {
    // ---- Aliyun market, the vendor's answers (api.md §4, first table, in order) ----
    market_answer(
        "kddh_empty", category::bad_parameter, 0, "未传入快递单号kddh",
        {"快递单号为空", "Tracking number empty"},
        {"请求里有 kddh 参数，但内容是空的（或只有空格），接口没有单号可查。本次不扣次数。",
         "The request has a kddh parameter but it is empty (or only spaces), so there was "
         "nothing to look up. This call was not billed."},
        {"在 kddh 里填上快递单号，再重新查询。",
         "Put the tracking number in kddh and query again."},
        "kddh present but empty or blank"),
    market_answer(
        "kddh_missing", category::bad_parameter, 0, "请传入快递单号【kddh字段】",
        {"缺少快递单号", "Tracking number missing"},
        {"请求里没有 kddh 参数，接口不知道要查哪个单号。本次不扣次数。",
         "The request has no kddh parameter, so the API did not know which parcel to look up. "
         "This call was not billed."},
        {"在请求地址里加上 kddh=快递单号（参数名全小写），再重新查询。",
         "Add kddh=<tracking number> to the request (the name in lower case) and query again."},
        "kddh absent from the query (the vendor page's failure example)"),
    market_answer(
        "kddh_too_long", category::bad_parameter, 0, "传入快递单号kddh字符串长度超限",
        {"快递单号太长", "Tracking number too long"},
        {"快递单号超过了 20 个字符的上限，接口没有去查询。本次不扣次数。",
         "The tracking number is longer than the 20-character limit, so the API did not look it "
         "up. This call was not billed."},
        {"快递单号最多 20 个字符，请检查是否多复制了空格或其他内容，只保留单号本身。",
         "A tracking number has at most 20 characters: check for spaces or other text copied "
         "along with it and keep only the number."},
        "len(kddh) > 20 characters"),
    market_answer(
        "code_too_long", category::bad_parameter, 0, "传入快递代码code字符串长度超限",
        {"快递公司代码太长", "Carrier code too long"},
        {"快递公司代码 code 超过了 20 个字符的上限。本次不扣次数。",
         "The carrier code is longer than the 20-character limit. This call was not billed."},
        {"code 最多 20 个字符，应填拼音代码（如 zhongtong）；不确定时可以不填，接口会按单号自动识别快递公司。",
         "code has at most 20 characters and takes a pinyin code such as zhongtong; if unsure, "
         "leave it out and the API recognises the carrier from the number."},
        "len(code) > 20 characters"),
    market_answer(
        "tel_too_long", category::bad_parameter, 0, "传入4位手机尾号tel字符串长度超限",
        {"手机尾号太长", "Phone tail too long"},
        {"手机尾号 tel 超过了 14 个字符的上限。本次不扣次数。",
         "The phone tail (tel) is longer than the 14-character limit. This call was not billed."},
        {"tel 只需填收件人或寄件人手机号的后 4 位（如 8888），请去掉多余的内容。",
         "tel needs only the last 4 digits of the receiver's or sender's phone (e.g. 8888): "
         "remove everything else."},
        "len(tel) > 14 characters"),
    market_answer(
        "tel_invalid", category::bad_parameter, 0, "手机尾号非法格式",
        {"手机尾号格式不对", "Phone tail malformed"},
        {"手机尾号 tel 不是 4 位数字（也不是能取出后 4 位的手机号），接口无法使用。本次不扣次数。",
         "The phone tail (tel) is not 4 digits (nor a mobile number whose last 4 digits can be "
         "taken), so the API cannot use it. This call was not billed."},
        {"tel 请填收件人或寄件人手机号的后 4 位数字，不要带字母、空格或符号；不需要时可以不填。",
         "Put the last 4 digits of the receiver's or sender's phone in tel, without letters, "
         "spaces or symbols; leave it out when the carrier does not need it."},
        "tel is neither 4 digits nor a mobile number whose last 4 digits can be taken"),
    market_answer(
        "phone_in_kddh", category::bad_parameter, 0,
        "接口已升级, 电话号码请传入另一个字段【tel】",
        {"手机尾号放错了位置", "Phone number in the tracking number"},
        {"快递单号后面带上了手机号（如 SF1234567890123:8888），这是旧接口的写法，本接口不再支持。本次不扣次数。",
         "The tracking number carries a phone number (e.g. SF1234567890123:8888), the old "
         "convention of other APIs, which this API no longer accepts. This call was not billed."},
        {"kddh 只填单号，手机尾号单独放进 tel 参数，例如 kddh=SF1234567890123&tel=8888。",
         "Put only the number in kddh and the phone tail in its own tel parameter, e.g. "
         "kddh=SF1234567890123&tel=8888."},
        "phone appended to kddh, e.g. SF1234567890123:8888 (the old convention of other APIs)"),
    market_answer(
        "number_wrong", category::bad_number, 1, "查询失败: 快递单号错误",
        {"快递单号错误", "Wrong tracking number"},
        {"单号格式看起来正常，但不是一个正确的单号（例如校验位对不上）。接口已正常应答（HTTP 200），所以本次已扣次数。",
         "The number looks well-formed but is not a valid number (e.g. its check digit is "
         "wrong). The API answered normally (HTTP 200), so this call was billed."},
        {"对照面单或发货记录核对单号，常见是少一位、多一位或看错了字符；改正后再查，避免重复扣次数。",
         "Compare the number with the label or the shipping record (a digit missing, added or "
         "misread is common) and query again only once it is corrected: each query is billed."},
        "well-formed but wrong number (e.g. its check digit fails)"),
    market_answer(
        "number_format_invalid", category::bad_number, 1, "单号格式不正确",
        {"单号格式不对", "Tracking number malformed"},
        {"单号里有快递公司不会使用的字符，或长度不对。接口已正常应答（HTTP 200），所以本次已扣次数。",
         "The number contains characters or has a length that no carrier uses. The API answered "
         "normally (HTTP 200), so this call was billed."},
        {"检查单号是否混入了空格、中文、标点或其他字符，只保留字母和数字后再查。",
         "Check the number for spaces, Chinese characters, punctuation or other stray text; "
         "keep only its letters and digits and query again."},
        "characters or length no carrier uses"),
    market_answer(
        "no_record", category::no_record, 1, "查询成功, 暂无记录",
        {"暂无物流信息", "No tracking events yet"},
        {"单号可以查询，但快递公司还没有任何轨迹，常见于刚下单还没揽收；顺丰等快递不填手机尾号时也会这样。接口已正常应答，所以本次已扣次数。",
         "The number can be queried but the carrier has no events yet, usually because the "
         "parcel has not been picked up; SF and some others also answer this way without a phone "
         "tail. The API answered normally, so this call was billed."},
        {"过几个小时再查，不必反复刷新（每查一次扣一次）；如果是顺丰，请在 tel 里填收件人或寄件人手机号的后 4 位。",
         "Query again in a few hours rather than repeatedly (each query is billed); for SF, put "
         "the last 4 digits of the receiver's or sender's phone in tel."},
        "known number without events yet (also SF without tel)"),
    market_answer(
        "carrier_unmatched", category::carrier_unmatched, 1, "查询成功, 无法匹配物流类型",
        {"无法识别快递公司", "Carrier not recognised"},
        {"接口无法确定这个单号属于哪家快递公司：填写的 code 不认识，或者单号不符合任何快递公司的规则。接口已正常应答，所以本次已扣次数。",
         "The API could not tell which carrier the number belongs to: the code is unknown, or "
         "the number fits no carrier's format. The API answered normally, so this call was "
         "billed."},
        {"检查 code 是否写对（如 zhongtong、shunfeng）；不确定时去掉 code，让接口按单号自动识别，并再核对一遍单号。",
         "Check that code is spelled right (e.g. zhongtong, shunfeng); if unsure, leave code out "
         "so the API recognises the carrier from the number, and check the number again."},
        "code unknown, or the number matches no carrier"),
    market_answer(
        "number_void", category::bad_number, 1, "查询失败: 无效单",
        {"无效单号", "Void tracking number"},
        {"快递公司表示没有这个单号，可能单号有误、已作废，或还没录入系统。接口已正常应答，所以本次已扣次数。",
         "The carrier says this number does not exist: it may be wrong, cancelled or not yet "
         "registered. The API answered normally, so this call was billed."},
        {"向寄件人或商家确认单号是否正确、包裹是否已经寄出；确认无误后隔一段时间再查。",
         "Ask the sender or the shop to confirm the number and that the parcel has been sent; "
         "once confirmed, query again later."},
        "the carrier reports that the number does not exist"),
    market_answer(
        "success", category::success, 1, "查询成功",
        {"查询成功", "Found"},
        {"查到了这个单号的物流轨迹，最新的记录排在最前面。本次已扣次数。",
         "The parcel's tracking events were found, newest first. This call was billed."},
        {"无需处理；想看最新进展，过一段时间再查即可（每查一次扣一次）。",
         "Nothing to fix; to follow the parcel, query again later (each query is billed)."},
        "a known number with tracking events"),

    // ---- The vendor's own platform (api.md §4, second table, in order) ----
    own_platform_answer(
        "appid_missing", "未传入开发者账号appid",
        {"缺少开发者账号 appid", "Developer appid missing"},
        {"直接对接拇指云自研平台时，请求必须带开发者账号 appid，这次没有带。本次不扣次数。",
         "Calls to the vendor's own platform must carry the developer account appid, and this "
         "one did not. This call was not billed."},
        {"在请求里加上拇指云分配给你的 appid。通过阿里云云市场调用时不需要 appid，请改用 AppCode。",
         "Add the appid the vendor gave you. Calls through the Aliyun market need no appid: use "
         "the AppCode there instead."},
        "appid absent or empty"),
    own_platform_answer(
        "appid_too_long", "传入开发者账号appid字符串长度超限",
        {"appid 太长", "appid too long"},
        {"appid 超过了 32 个字符的上限。本次不扣次数。",
         "The appid is longer than the 32-character limit. This call was not billed."},
        {"核对 appid 是否完整准确，是否多复制了空格或其他内容（最多 32 个字符）。",
         "Check that the appid is exactly the one you were given, without spaces or other text "
         "(at most 32 characters)."},
        "len(appid) > 32 characters"),
    own_platform_answer(
        "sendtime_missing", "未传入查询时间sendtime",
        {"缺少请求时间 sendtime", "Request time sendtime missing"},
        {"请求里没有 sendtime（发起请求时的时间戳）。本次不扣次数。",
         "The request has no sendtime (the timestamp of the request). This call was not billed."},
        {"在请求里加上当前时间戳 sendtime，并让它参与签名。",
         "Add the current timestamp as sendtime and include it in the signature."},
        "sendtime absent or empty"),
    own_platform_answer(
        "sendtime_too_long", "传入查询时间sendtime字符串长度超限",
        {"请求时间 sendtime 太长", "Request time sendtime too long"},
        {"sendtime 比时间戳应有的长度还长。本次不扣次数。",
         "sendtime is longer than a timestamp can be. This call was not billed."},
        {"sendtime 应是纯数字时间戳（最多 13 位，即毫秒），不要写成日期格式或带其他字符。",
         "sendtime must be a plain numeric timestamp (at most 13 digits, i.e. milliseconds), "
         "not a date or anything else."},
        "len(sendtime) > 13 characters, i.e. beyond a millisecond epoch (ours)"),
    own_platform_answer(
        "sendtime_expired", "时间戳超时, 请重新请求",
        {"请求时间已过期", "Request time expired"},
        {"sendtime 与平台服务器的时间相差超过 5 分钟，请求被当作过期。本次不扣次数。",
         "sendtime is more than 5 minutes away from the platform's clock, so the request was "
         "treated as expired. This call was not billed."},
        {"每次请求都用当前时间重新生成 sendtime 和签名；仍然出现时，校准发起请求的电脑或服务器的系统时间。",
         "Generate sendtime and the signature afresh for every request; if it persists, correct "
         "the clock of the computer or server that sends the requests."},
        "sendtime more than 5 minutes away from the server's time (ours: also when not a number)"),
    own_platform_answer(
        "sign_missing", "未传入签名sign",
        {"缺少签名 sign", "Signature missing"},
        {"请求里没有签名 sign。本次不扣次数。",
         "The request has no signature (sign). This call was not billed."},
        {"按平台的签名规则算出 sign，随请求一起传入。",
         "Compute sign with the platform's signing rule and send it with the request."},
        "sign absent or empty"),
    own_platform_answer(
        "sign_too_long", "传入签名sign字符串长度超限",
        {"签名 sign 太长", "Signature too long"},
        {"sign 比签名结果应有的长度还长。本次不扣次数。",
         "sign is longer than a signature can be. This call was not billed."},
        {"sign 只填签名结果本身（最多 64 个字符的十六进制串），检查是否多拼接了内容或空格。",
         "Put only the signature itself in sign (a hex string of at most 64 characters); check "
         "for text or spaces appended to it."},
        "len(sign) > 64 characters (ours)"),
    own_platform_answer(
        "sign_invalid", "签名校验失败",
        {"签名不正确", "Signature does not match"},
        {"平台用同样的参数算出的签名与传入的 sign 不一致：密钥不对、参数在签名后被改动，或签名步骤有误。本次不扣次数。",
         "The signature the platform computed from the same parameters differs from sign: a "
         "wrong secret, parameters changed after signing, or a wrong signing step. This call "
         "was not billed."},
        {"对照平台的签名流程逐步核对：参与签名的参数、排序、密钥和编码；签名之后不要再改动任何参数。",
         "Go through the platform's signing steps one by one (parameters, order, secret, "
         "encoding) and change no parameter after signing."},
        "sign does not verify (ours: an unknown appid too)"),
    own_platform_answer(
        "debug_data", "存在*字符, 视为调试数据。止于当前结果。",
        {"参数含 * 号，被当作调试数据", "Asterisk in a parameter: treated as test data"},
        {"参数里出现了 * 号，平台把这次请求当作调试数据，没有真正查询。常见原因是复制了返回结果里打了星号的单号（如 78627****758）。本次不扣次数。",
         "A parameter contains '*', so the platform treated the request as test data and did "
         "not really query. Usually a masked number copied from an answer (e.g. 78627****758). "
         "This call was not billed."},
        {"去掉所有 * 号，改用完整的快递单号（从面单或发货记录里取）重新查询。",
         "Remove every '*' and query again with the full tracking number (from the label or the "
         "shipping record)."},
        "any parameter value contains '*', e.g. a masked number copied from an answer "
        "(78627****758)"),
    own_platform_answer(
        "source_forbidden", "非法来源",
        {"请求来源不被允许", "Source not allowed"},
        {"平台拒绝了这次请求的来源（例如不在允许名单里的 IP 或网站）；平台禁止把接口用于任何攻击行为。本次不扣次数。",
         "The platform refused where the request came from (e.g. an IP address or website not "
         "on its allow-list); it forbids any use of the API for attacks. This call was not "
         "billed."},
        {"只从已登记的服务器或网站调用；确属正常使用的，请联系拇指云客服把来源加入允许名单。",
         "Call only from the registered server or website; if the use is legitimate, ask the "
         "vendor's support to add the source to the allow-list."},
        "the caller's source is not allowed (ours: an origin/IP allow-list)"),
    own_platform_answer(
        "appid_disabled", "appid:XXXXXXXX接口已停用",
        {"开发者账号已停用", "Developer account disabled"},
        {"这个 appid 已被拇指云停止调用，它发出的请求都会被拒绝。本次不扣次数。",
         "The vendor has stopped this appid: every request it sends is refused. This call was "
         "not billed."},
        {"联系拇指云客服（服务热线 13159414139，工作日 09:00-18:00）了解停用原因并申请恢复。",
         "Contact the vendor's support (hotline 13159414139, working days 09:00-18:00) to learn "
         "why and ask for the appid to be restored."},
        "that appid has been disabled by the vendor (XXXXXXXX stands for the appid)"),

    // ---- The Aliyun API gateway (api.md §5): classic {status, -, message}, VPC {status, code,
    //      message}; the VPC message repeats the classic text unless api.md gives one ----
    gateway_answer(
        "appcode_invalid", category::auth, {400, "", "Invalid AppCode `not exists`"},
        {401, "A401AC", "Invalid AppCode `not exists`"},
        {"AppCode 无效", "AppCode not valid"},
        {"阿里云网关不认识这个 AppCode，请求没有到达快递接口。本次不扣次数。",
         "The Aliyun gateway does not know this AppCode, so the request never reached the "
         "tracking API. This call was not billed."},
        {"到阿里云云市场「已购买的服务」复制本产品的 AppCode 完整粘贴，前后不要带空格；请求头写成 Authorization: APPCODE 加一个空格再加 AppCode。",
         "Copy this product's AppCode from \"Purchased Services\" in the Aliyun market console "
         "and paste it whole, without spaces around it; the header is Authorization: APPCODE, "
         "one space, then the AppCode."},
        "Authorization: APPCODE <code> with a code the gateway does not know"),
    gateway_answer(
        "auth_missing", category::auth, {401, "", "Need authorization"},
        {400, "A400MA", "Need authorization"},
        {"缺少 AppCode", "AppCode missing"},
        {"请求没有带 AppCode，阿里云网关直接拒绝了，请求没有到达快递接口。本次不扣次数。",
         "The request carries no AppCode, so the Aliyun gateway refused it before it reached "
         "the tracking API. This call was not billed."},
        {"在请求头里加上 Authorization: APPCODE 你的AppCode（APPCODE 和 AppCode 之间有一个空格）。",
         "Add the header Authorization: APPCODE <your AppCode>, with one space between APPCODE "
         "and the code."},
        "no Authorization header (nor AppCode parameter); classic copies say 401 or 400, we use "
        "401 (ours)"),
    gateway_answer(
        "quota_exhausted", category::quota, {403, "", "Quota Exhausted"},
        {403, "B403MQ", "Quota Exhausted"},
        {"调用次数已用完", "Calls used up"},
        {"已购买套餐的次数已经全部用完，阿里云网关拒绝了这次请求。本次不扣次数。",
         "The purchased package has no calls left, so the Aliyun gateway refused the request. "
         "This call was not billed."},
        {"到阿里云云市场「已购买的服务」续购套餐，购买后立即恢复；可在阿里云「消息中心」设置余量提醒，避免再次中断。",
         "Buy another package under \"Purchased Services\" in the Aliyun market console; calls "
         "work again at once. Set a low-balance reminder in the Aliyun message centre to avoid "
         "another stop."},
        "the purchased calls are used up (doc: 403 Quota Exhausted)"),
    gateway_answer(
        "quota_expired", category::quota, {403, "", "Quota Expired"},
        {403, "B403ME", "Quota Expired"},
        {"套餐已过期", "Package expired"},
        {"购买的套餐已超过有效期，阿里云网关拒绝了这次请求。本次不扣次数。",
         "The purchased package is past its validity period, so the Aliyun gateway refused the "
         "request. This call was not billed."},
        {"到阿里云云市场「已购买的服务」重新购买套餐后再调用。",
         "Buy a new package under \"Purchased Services\" in the Aliyun market console, then call "
         "again."},
        "the purchased package is past its validity period"),
    gateway_answer(
        "unauthorized", category::auth, {403, "", "Unauthorized"},
        {403, "I403AA", "Unauthorized"},
        {"没有调用这个接口的权限", "Not authorised for this API"},
        {"这个 AppCode 没有被授权调用本接口，常见于用了其他商品的 AppCode。本次不扣次数。",
         "This AppCode is not authorised to call this API, usually because it belongs to "
         "another product. This call was not billed."},
        {"到阿里云云市场「已购买的服务」确认已购买本商品，并使用本商品对应的 AppCode。",
         "Check under \"Purchased Services\" in the Aliyun market console that this product is "
         "bought, and use the AppCode shown for it."},
        "the AppCode's app is not authorised for this API (e.g. another product's AppCode)"),
    gateway_answer(
        "throttled", category::throttled, {403, "", "Throttled by APP Flow Control"},
        {429, "T429AR", "Throttled by APP Flow Control"},
        {"请求太频繁", "Too many requests"},
        {"短时间内请求太多，触发了阿里云网关的流量限制，这次请求被拒绝。本次不扣次数。",
         "Too many requests in a short time hit the Aliyun gateway's flow control, so this one "
         "was refused. This call was not billed."},
        {"放慢调用速度，等几秒后再试；确实需要更高的并发量时，请联系拇指云客服。",
         "Slow down and try again in a few seconds; if you really need more calls per second, "
         "contact the vendor's support."},
        "too many calls per second (app/user/API/domain/group flow control); VPC code T429AR "
        "chosen from the T429 family (ours)"),
    gateway_answer(
        "user_arrears", category::quota, {403, "", "User Arrears"},
        {403, "B403OD", "User Arrears"},
        {"阿里云账号欠费", "Account in arrears"},
        {"阿里云账号处于欠费状态，网关暂停了调用。本次不扣次数。",
         "The Aliyun account is in arrears, so the gateway suspended the calls. This call was "
         "not billed."},
        {"登录阿里云「费用与成本」充值结清欠费后再调用；如果你的账号并未欠费，请联系拇指云客服。",
         "Top up under \"Expenses and Costs\" in the Aliyun console to settle the arrears, then "
         "call again; if your account is not in arrears, contact the vendor's support."},
        "the Aliyun account behind the call is in arrears"),
    gateway_answer(
        "api_not_found", category::bad_request, {404, "", "API not found"},
        {404, "I404NF", "API not found"},
        {"接口地址不对", "API not found"},
        {"阿里云网关找不到请求的接口，通常是地址、路径或请求方法写错了。本次不扣次数。",
         "The Aliyun gateway found no API at that address, usually a wrong host, path or "
         "method. This call was not billed."},
        {"确认用 GET 方法请求 https://chawuliu.market.alicloudapi.com/query，路径是 /query。",
         "Make sure the request is a GET to https://chawuliu.market.alicloudapi.com/query (path "
         "/query)."},
        "wrong path or method (the classic gateway may also answer 400 Invalid Url)"),
    gateway_answer(
        "url_too_long", category::bad_request, {413, "", "Request URL too Large"},
        {413, "I413UL", "Request URL too Large"},
        {"请求地址太长", "Request URL too long"},
        {"请求地址超过了阿里云网关允许的长度，请求被拒绝。本次不扣次数。",
         "The request URL is longer than the Aliyun gateway allows, so it was refused. This "
         "call was not billed."},
        {"检查参数里是否误粘贴了大段内容；单号、代码和手机尾号都很短。",
         "Check the parameters for a large block of text pasted by mistake; the number, the "
         "code and the phone tail are all short."},
        "request URL beyond the gateway's limit; the classic text is undocumented, we use the "
        "VPC text (ours)"),
    gateway_answer(
        "gateway_internal", category::gateway_fault, {500, "", "Internal Error"},
        {500, "X500ER", "Internal Error"},
        {"阿里云网关内部错误", "Gateway internal error"},
        {"阿里云网关内部出错，与请求内容无关。本次不扣次数。",
         "The Aliyun gateway failed internally; the request itself was fine. This call was not "
         "billed."},
        {"稍等片刻后重试；一直出现时记下响应头里的 X-Ca-Request-Id，联系拇指云客服或阿里云排查。",
         "Try again in a moment; if it keeps happening, note the X-Ca-Request-Id response "
         "header and give it to the vendor's support or Aliyun."},
        "internal fault of the gateway"),
    gateway_answer(
        "backend_unreachable", category::gateway_fault,
        {500, "", "Failed To Invoke Backend Service"},
        {504, "D504CO", "Failed To Invoke Backend Service"},
        {"查询服务连接不上", "Tracking service unreachable"},
        {"阿里云网关连接不上拇指云的查询服务，问题在服务商一侧。本次不扣次数。",
         "The Aliyun gateway could not connect to the vendor's tracking service: the fault is "
         "on the vendor's side. This call was not billed."},
        {"稍后重试；一直出现时联系拇指云客服（服务热线 13159414139，工作日 09:00-18:00）。",
         "Try again later; if it keeps happening, contact the vendor's support (hotline "
         "13159414139, working days 09:00-18:00)."},
        "the gateway cannot connect to the vendor's backend"),
    gateway_answer(
        "backend_timeout", category::gateway_fault, {504, "", "Async Service"},
        {504, "D504TO", "Async Service"},
        {"查询服务超时", "Tracking service timed out"},
        {"拇指云的查询服务没有在规定时间内应答，阿里云网关放弃了等待。本次不扣次数。",
         "The vendor's tracking service did not answer in time, so the Aliyun gateway gave up "
         "waiting. This call was not billed."},
        {"稍后重试一次；持续超时请联系拇指云客服。",
         "Try once more later; if it keeps timing out, contact the vendor's support."},
        "the vendor's backend does not answer within the gateway's timeout"),
    gateway_answer(
        "service_busy", category::gateway_fault, {503, "", "Service Unavailable"},
        {503, "X503BZ", "Service Unavailable"},
        {"服务繁忙", "Service busy"},
        {"服务暂时繁忙或在维护，阿里云网关拒绝了这次请求。本次不扣次数。",
         "The service is busy or under maintenance for now, so the Aliyun gateway refused the "
         "request. This call was not billed."},
        {"等几分钟再试。", "Try again in a few minutes."},
        "the gateway or the backend is overloaded or under maintenance"),
};

static_assert(std::size(catalogue) == 12 + 1 + 11 + 13, "api.md documents 37 answers");

// Classic X-Ca-Error-Message texts seen besides each entry's own (gw).
struct message_alias {
  string_view message;
  string_view id;
};

constexpr message_alias classic_aliases[] = {
    {"Throttled by USER Flow Control", "throttled"},
    {"Throttled by API Flow Control", "throttled"},
    {"Throttled by DOMAIN Flow Control", "throttled"},
    {"Throttled by GROUP Flow Control", "throttled"},
    {"Invalid Url", "api_not_found"},
    {"Api Market Subscription quota exhausted", "quota_exhausted"},
};

// Every T429… code is flow control; the catalogue keeps one of them.
constexpr string_view throttled_code_prefix = "T429";

bool starts_with_icase(string_view text, string_view prefix) {
  return text.size() >= prefix.size() && text::iequals(text.substr(0, prefix.size()), prefix);
}

// A templated msg ("appid:XXXXXXXX接口已停用") matches any text between its two fixed parts.
bool matches_template(string_view pattern, string_view msg) {
  const auto at = pattern.find(appid_placeholder);
  if (at == string_view::npos) return false;
  const string_view prefix = pattern.substr(0, at);
  const string_view suffix = pattern.substr(at + appid_placeholder.size());
  return msg.size() >= prefix.size() + suffix.size() && msg.substr(0, prefix.size()) == prefix &&
         msg.substr(msg.size() - suffix.size()) == suffix;
}

}  // namespace

scenario_range all_scenarios() { return {std::begin(catalogue), std::end(catalogue)}; }

const scenario* find_scenario(string_view id) {
  for (const scenario& s : catalogue)
    if (text::equals(s.id, id)) return &s;
  return nullptr;
}

const scenario* find_scenario_by_msg(string_view msg) {
  if (msg.empty()) return nullptr;  // gateway answers have no msg
  for (const scenario& s : catalogue)
    if (!s.msg.empty() && text::equals(s.msg, msg)) return &s;
  for (const scenario& s : catalogue)
    if (matches_template(s.msg, msg)) return &s;
  return nullptr;
}

const scenario* find_gateway_scenario(int http_status, string_view code, string_view message) {
  // The header decides; the status alone is ambiguous (a 403 is several cases) and is left to
  // the interpreter, so it is not needed here.
  static_cast<void>(http_status);
  code = text::trim(code);
  message = text::trim(message);
  if (!code.empty()) {
    for (const scenario& s : catalogue)
      if (s.source == answer_source::gateway && text::iequals(s.vpc.code, code)) return &s;
    if (starts_with_icase(code, throttled_code_prefix)) return find_scenario("throttled");
    // An unknown code: the message may still say what happened.
  }
  if (message.empty()) return nullptr;
  for (const scenario& s : catalogue)
    if (s.source == answer_source::gateway &&
        (text::iequals(s.classic.message, message) || text::iequals(s.vpc.message, message)))
      return &s;
  for (const message_alias& alias : classic_aliases)
    if (text::iequals(alias.message, message)) return find_scenario(alias.id);
  return nullptr;
}

const gateway_error& gateway_error_for(const scenario& s, gateway_generation generation) {
  return generation == gateway_generation::vpc ? s.vpc : s.classic;
}

std::string render_msg(const scenario& s, string_view appid) {
  std::string out(s.msg);
  const auto at = out.find(appid_placeholder);
  // Without an appid the template is kept as documented.
  if (at != std::string::npos && !appid.empty()) out.replace(at, appid_placeholder.size(), appid);
  return out;
}

string_view to_string(answer_source source) {
  switch (source) {
    case answer_source::vendor: return "vendor";
    case answer_source::own_platform: return "own_platform";
    case answer_source::gateway: return "gateway";
  }
  return "unknown";
}

string_view to_string(category kind) {
  switch (kind) {
    case category::success: return "success";
    case category::no_record: return "no_record";
    case category::bad_number: return "bad_number";
    case category::carrier_unmatched: return "carrier_unmatched";
    case category::bad_parameter: return "bad_parameter";
    case category::own_platform: return "own_platform";
    case category::quota: return "quota";
    case category::auth: return "auth";
    case category::throttled: return "throttled";
    case category::gateway_fault: return "gateway_fault";
    case category::bad_request: return "bad_request";
  }
  return "unknown";
}

string_view to_string(gateway_generation generation) {
  switch (generation) {
    case gateway_generation::classic: return "classic";
    case gateway_generation::vpc: return "vpc";
  }
  return "unknown";
}

}  // namespace kuaidi
