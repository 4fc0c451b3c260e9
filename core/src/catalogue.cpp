// The catalogue: every documented answer, written once as constant data (api.md §4, gateway.md).
// The billing and HTTP rules are applied by the three builders below, not repeated per entry.

#include "kuaidi/catalogue.hpp"

#include <algorithm>
#include <iterator>
#include <vector>

#include "enum_names.hpp"
#include "text.hpp"

namespace kuaidi {
namespace {

using std::string_view;

// Vendor answer on the Aliyun market: ok:1 comes with HTTP 200 and is billed (the market bills
// every 2xx, even "nothing found"); anything else comes with HTTP 666 and is not billed.
constexpr scenario market_answer(scenario_id key, string_view id, category kind, int ok, string_view msg,
                                 localized_text title, localized_text explanation, localized_text action,
                                 string_view trigger, request_parameter parameter = request_parameter::none) {
  return scenario{key,    id,      answer_source::vendor,
                  kind,   ok,      ok == 1 ? 200 : 666,
                  msg,    ok == 1, {},
                  {},     title,   explanation,
                  action, trigger, parameter};
}

// The vendor's own platform (appid + sendtime + sign): every documented message is an ok:0.
constexpr scenario own_platform_answer(scenario_id key, string_view id, string_view msg, localized_text title,
                                       localized_text explanation, localized_text action, string_view trigger,
                                       request_parameter parameter = request_parameter::none) {
  return scenario{key,
                  id,
                  answer_source::own_platform,
                  category::own_platform,
                  0,
                  666,
                  msg,
                  false,
                  {},
                  {},
                  title,
                  explanation,
                  action,
                  trigger,
                  parameter};
}

// Gateway errors have no JSON body and are never 2xx, so never billed.
constexpr scenario gateway_answer(scenario_id key, string_view id, category kind, gateway_error classic,
                                  gateway_error vpc, localized_text title, localized_text explanation,
                                  localized_text action, string_view trigger,
                                  request_parameter parameter = request_parameter::none) {
  return scenario{key,    id,      answer_source::gateway,
                  kind,   -1,      classic.http_status,
                  {},     false,   classic,
                  vpc,    title,   explanation,
                  action, trigger, parameter};
}

// Where the appid goes in "appid:XXXXXXXX接口已停用".
constexpr string_view appid_placeholder = "XXXXXXXX";

// clang-format off
constexpr scenario catalogue[] = {
    // Aliyun market, the vendor's answers (api.md §4, first table, in order)
    market_answer(
        scenario_id::kddh_empty, "kddh_empty", category::bad_parameter, 0, "未传入快递单号kddh",
        {"快递单号为空", "Tracking number empty"},
        {"请求里有 kddh 参数，但内容是空的（或只有空格），接口没有单号可查。本次不扣次数。",
         "The request has a kddh parameter but it is empty (or only spaces), so there was "
         "nothing to look up. This call was not billed."},
        {"在「快递单号」（kddh）里填上快递单号，再重新查询。",
         "Put the tracking number in \"Tracking number\" (kddh) and query again."},
        "kddh present but empty or blank",
        request_parameter::kddh),
    market_answer(
        scenario_id::kddh_missing, "kddh_missing", category::bad_parameter, 0, "请传入快递单号【kddh字段】",
        {"缺少快递单号", "Tracking number missing"},
        {"请求里没有 kddh 参数，接口不知道要查哪个单号。本次不扣次数。",
         "The request has no kddh parameter, so the API did not know which parcel to look up. "
         "This call was not billed."},
        {"在请求地址里加上 kddh=快递单号（参数名全小写），再重新查询。",
         "Add kddh=<tracking number> to the request (the name in lower case) and query again."},
        "kddh absent from the query (the vendor page's failure example)",
        request_parameter::kddh),
    market_answer(
        scenario_id::kddh_too_long, "kddh_too_long", category::bad_parameter, 0, "传入快递单号kddh字符串长度超限",
        {"快递单号太长", "Tracking number too long"},
        {"快递单号超过了 20 个字符的上限，接口没有去查询。本次不扣次数。",
         "The tracking number is longer than the 20-character limit, so the API did not look it "
         "up. This call was not billed."},
        {"快递单号最多 20 个字符，请检查是否多复制了空格或其他内容，只保留单号本身。",
         "A tracking number has at most 20 characters: check for spaces or other text copied "
         "along with it and keep only the number."},
        "len(kddh) > 20 characters",
        request_parameter::kddh),
    market_answer(
        scenario_id::code_too_long, "code_too_long", category::bad_parameter, 0, "传入快递代码code字符串长度超限",
        {"快递公司代码太长", "Carrier code too long"},
        {"快递公司代码 code 超过了 20 个字符的上限。本次不扣次数。",
         "The carrier code is longer than the 20-character limit. This call was not billed."},
        {"「快递代码」（code）最多 20 个字符，应填拼音代码（如 zhongtong）；不确定时可以不填，接口会按单号自动识别快递公司。",
         "\"Carrier code\" (code) has at most 20 characters and takes a pinyin code such as "
         "zhongtong; if unsure, "
         "leave it out and the API recognises the carrier from the number."},
        "len(code) > 20 characters",
        request_parameter::code),
    market_answer(
        scenario_id::tel_too_long, "tel_too_long", category::bad_parameter, 0, "传入4位手机尾号tel字符串长度超限",
        {"手机尾号太长", "Phone tail too long"},
        {"手机尾号 tel 超过了 14 个字符的上限。本次不扣次数。",
         "The phone tail (tel) is longer than the 14-character limit. This call was not billed."},
        {"「4位手机尾号」（tel）只需填收件人或寄件人手机号的后 4 位（如 8888），请去掉多余的内容。",
         "\"Phone tail\" (tel) needs only the last 4 digits of the receiver's or sender's phone (e.g. 8888): "
         "remove everything else."},
        "len(tel) > 14 characters",
        request_parameter::tel),
    market_answer(
        scenario_id::tel_invalid, "tel_invalid", category::bad_parameter, 0, "手机尾号非法格式",
        {"手机尾号格式不对", "Phone tail malformed"},
        {"手机尾号 tel 不是 4 位数字（也不是能取出后 4 位的手机号），接口无法使用。本次不扣次数。",
         "The phone tail (tel) is not 4 digits (nor a mobile number whose last 4 digits can be "
         "taken), so the API cannot use it. This call was not billed."},
        {"「4位手机尾号」（tel）请填收件人或寄件人手机号的后 4 位数字，不要带字母、空格或符号；不需要时可以不填。",
         "Put the last 4 digits of the receiver's or sender's phone in \"Phone tail\" (tel), "
         "without letters, "
         "spaces or symbols; leave it out when the carrier does not need it."},
        "tel is neither 4 digits nor a mobile number whose last 4 digits can be taken",
        request_parameter::tel),
    market_answer(
        scenario_id::phone_in_kddh, "phone_in_kddh", category::bad_parameter, 0,
        "接口已升级, 电话号码请传入另一个字段【tel】",
        {"手机尾号放错了位置", "Phone number in the tracking number"},
        {"快递单号后面带上了手机号（如 SF1234567890123:8888），这是旧接口的写法，本接口不再支持。本次不扣次数。",
         "The tracking number carries a phone number (e.g. SF1234567890123:8888), the old "
         "convention of other APIs, which this API no longer accepts. This call was not billed."},
        {"「快递单号」只填单号，手机尾号单独填进「4位手机尾号」（接口参数：kddh=SF1234567890123&tel=8888）。",
         "Put only the number in \"Tracking number\" and the phone tail in \"Phone tail\" (as parameters: "
         "kddh=SF1234567890123&tel=8888)."},
        "phone appended to kddh, e.g. SF1234567890123:8888 (the old convention of other APIs)",
        request_parameter::kddh),
    market_answer(
        scenario_id::number_wrong, "number_wrong", category::bad_number, 1, "查询失败: 快递单号错误",
        {"快递单号错误", "Wrong tracking number"},
        {"单号格式看起来正常，但不是一个正确的单号（例如校验位对不上）。接口已正常应答（HTTP 200），所以本次已扣次数。",
         "The number looks well-formed but is not a valid number (e.g. its check digit is "
         "wrong). The API answered normally (HTTP 200), so this call was billed."},
        {"对照面单或发货记录核对单号，常见是少一位、多一位或看错了字符；改正后再查，避免重复扣次数。",
         "Compare the number with the label or the shipping record (a digit missing, added or "
         "misread is common) and query again only once it is corrected: each query is billed."},
        "well-formed but wrong number (e.g. its check digit fails)",
        request_parameter::kddh),
    market_answer(
        scenario_id::number_format_invalid, "number_format_invalid", category::bad_number, 1, "单号格式不正确",
        {"单号格式不对", "Tracking number malformed"},
        {"单号里有快递公司不会使用的字符，或长度不对。接口已正常应答（HTTP 200），所以本次已扣次数。",
         "The number contains characters or has a length that no carrier uses. The API answered "
         "normally (HTTP 200), so this call was billed."},
        {"检查单号是否混入了空格、中文、标点或其他字符，只保留字母和数字后再查。",
         "Check the number for spaces, Chinese characters, punctuation or other stray text; "
         "keep only its letters and digits and query again."},
        "characters or length no carrier uses",
        request_parameter::kddh),
    market_answer(
        scenario_id::no_record, "no_record", category::no_record, 1, "查询成功, 暂无记录",
        {"暂无物流信息", "No tracking events yet"},
        {"单号可以查询，但快递公司还没有任何轨迹，常见于刚下单还没揽收；顺丰等快递不填手机尾号时也会这样。接口已正常应答，所以本次已扣次数。",
         "The number can be queried but the carrier has no events yet, usually because the "
         "parcel has not been picked up; SF and some others also answer this way without a phone "
         "tail. The API answered normally, so this call was billed."},
        {"过几个小时再查，不必反复刷新（每查一次扣一次）；如果是顺丰，请在「4位手机尾号」（tel）里填收件人或寄件人手机号的后 4 位。",
         "Query again in a few hours rather than repeatedly (each query is billed); for SF, put "
         "the last 4 digits of the receiver's or sender's phone in \"Phone tail\" (tel)."},
        "known number without events yet (also SF without tel)"),
    market_answer(
        scenario_id::carrier_unmatched, "carrier_unmatched", category::carrier_unmatched, 1, "查询成功, 无法匹配物流类型",
        {"无法识别快递公司", "Carrier not recognised"},
        {"接口无法确定这个单号属于哪家快递公司：填写的 code 不认识，或者单号不符合任何快递公司的规则。接口已正常应答，所以本次已扣次数。",
         "The API could not tell which carrier the number belongs to: the code is unknown, or "
         "the number fits no carrier's format. The API answered normally, so this call was "
         "billed."},
        {"检查「快递代码」（code）是否写对（如 zhongtong、shunfeng）；不确定时清空它，让接口按单号自动识别，并再核对一遍单号。",
         "Check that \"Carrier code\" (code) is spelled right (e.g. zhongtong, shunfeng); if "
         "unsure, leave it empty "
         "so the API recognises the carrier from the number, and check the number again."},
        "code unknown, or the number matches no carrier",
        request_parameter::code),
    market_answer(
        scenario_id::number_void, "number_void", category::bad_number, 1, "查询失败: 无效单",
        {"无效单号", "Void tracking number"},
        {"快递公司表示没有这个单号，可能单号有误、已作废，或还没录入系统。接口已正常应答，所以本次已扣次数。",
         "The carrier says this number does not exist: it may be wrong, cancelled or not yet "
         "registered. The API answered normally, so this call was billed."},
        {"向寄件人或商家确认单号是否正确、包裹是否已经寄出；确认无误后隔一段时间再查。",
         "Ask the sender or the shop to confirm the number and that the parcel has been sent; "
         "once confirmed, query again later."},
        "the carrier reports that the number does not exist",
        request_parameter::kddh),
    market_answer(
        scenario_id::success, "success", category::success, 1, "查询成功",
        {"查询成功", "Found"},
        {"查到了这个单号的物流轨迹，最新的记录排在最前面。本次已扣次数。",
         "The parcel's tracking events were found, newest first. This call was billed."},
        {"无需处理；想看最新进展，过一段时间再查即可（每查一次扣一次）。",
         "Nothing to fix; to follow the parcel, query again later (each query is billed)."},
        "a known number with tracking events"),

    // The vendor's own platform (api.md §4, second table, in order)
    own_platform_answer(
        scenario_id::appid_missing, "appid_missing", "未传入开发者账号appid",
        {"缺少开发者账号 appid", "Developer appid missing"},
        {"直接对接拇指云自研平台时，请求必须带开发者账号 appid，这次没有带。本次不扣次数。",
         "Calls to the vendor's own platform must carry the developer account appid, and this "
         "one did not. This call was not billed."},
        {"在请求里加上拇指云分配给你的 appid。通过阿里云云市场调用时不需要 appid，请改用 AppCode。",
         "Add the appid the vendor gave you. Calls through the Aliyun market need no appid: use "
         "the AppCode there instead."},
        "appid absent or empty",
        request_parameter::appid),
    own_platform_answer(
        scenario_id::appid_too_long, "appid_too_long", "传入开发者账号appid字符串长度超限",
        {"appid 太长", "appid too long"},
        {"appid 超过了 32 个字符的上限。本次不扣次数。",
         "The appid is longer than the 32-character limit. This call was not billed."},
        {"核对 appid 是否完整准确，是否多复制了空格或其他内容（最多 32 个字符）。",
         "Check that the appid is exactly the one you were given, without spaces or other text "
         "(at most 32 characters)."},
        "len(appid) > 32 characters",
        request_parameter::appid),
    own_platform_answer(
        scenario_id::sendtime_missing, "sendtime_missing", "未传入查询时间sendtime",
        {"缺少请求时间 sendtime", "Request time sendtime missing"},
        {"请求里没有 sendtime（发起请求时的时间戳）。本次不扣次数。",
         "The request has no sendtime (the timestamp of the request). This call was not billed."},
        {"在请求里加上当前时间戳 sendtime，并让它参与签名。",
         "Add the current timestamp as sendtime and include it in the signature."},
        "sendtime absent or empty",
        request_parameter::sendtime),
    own_platform_answer(
        scenario_id::sendtime_too_long, "sendtime_too_long", "传入查询时间sendtime字符串长度超限",
        {"请求时间 sendtime 太长", "Request time sendtime too long"},
        {"sendtime 比时间戳应有的长度还长。本次不扣次数。",
         "sendtime is longer than a timestamp can be. This call was not billed."},
        {"sendtime 应是纯数字时间戳（最多 13 位，即毫秒），不要写成日期格式或带其他字符。",
         "sendtime must be a plain numeric timestamp (at most 13 digits, i.e. milliseconds), "
         "not a date or anything else."},
        "len(sendtime) > 13 characters, i.e. beyond a millisecond epoch (ours)",
        request_parameter::sendtime),
    own_platform_answer(
        scenario_id::sendtime_expired, "sendtime_expired", "时间戳超时, 请重新请求",
        {"请求时间已过期", "Request time expired"},
        {"sendtime 与平台服务器的时间相差超过 5 分钟，请求被当作过期。本次不扣次数。",
         "sendtime is more than 5 minutes away from the platform's clock, so the request was "
         "treated as expired. This call was not billed."},
        {"每次请求都用当前时间重新生成 sendtime 和签名；仍然出现时，校准发起请求的电脑或服务器的系统时间。",
         "Generate sendtime and the signature afresh for every request; if it persists, correct "
         "the clock of the computer or server that sends the requests."},
        "sendtime more than 5 minutes away from the server's time (ours: also when not a number)",
        request_parameter::sendtime),
    own_platform_answer(
        scenario_id::sign_missing, "sign_missing", "未传入签名sign",
        {"缺少签名 sign", "Signature missing"},
        {"请求里没有签名 sign。本次不扣次数。",
         "The request has no signature (sign). This call was not billed."},
        {"按平台的签名规则算出 sign，随请求一起传入。",
         "Compute sign with the platform's signing rule and send it with the request."},
        "sign absent or empty",
        request_parameter::sign),
    own_platform_answer(
        scenario_id::sign_too_long, "sign_too_long", "传入签名sign字符串长度超限",
        {"签名 sign 太长", "Signature too long"},
        {"sign 比签名结果应有的长度还长。本次不扣次数。",
         "sign is longer than a signature can be. This call was not billed."},
        {"sign 只填签名结果本身（最多 64 个字符的十六进制串），检查是否多拼接了内容或空格。",
         "Put only the signature itself in sign (a hex string of at most 64 characters); check "
         "for text or spaces appended to it."},
        "len(sign) > 64 characters (ours)",
        request_parameter::sign),
    own_platform_answer(
        scenario_id::sign_invalid, "sign_invalid", "签名校验失败",
        {"签名不正确", "Signature does not match"},
        {"平台用同样的参数算出的签名与传入的 sign 不一致：密钥不对、参数在签名后被改动，或签名步骤有误。本次不扣次数。",
         "The signature the platform computed from the same parameters differs from sign: a "
         "wrong secret, parameters changed after signing, or a wrong signing step. This call "
         "was not billed."},
        {"对照平台的签名流程逐步核对：参与签名的参数、排序、密钥和编码；签名之后不要再改动任何参数。",
         "Go through the platform's signing steps one by one (parameters, order, secret, "
         "encoding) and change no parameter after signing."},
        "sign does not verify (ours: an unknown appid too)",
        request_parameter::sign),
    own_platform_answer(
        scenario_id::debug_data, "debug_data", "存在*字符, 视为调试数据。止于当前结果。",
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
        scenario_id::source_forbidden, "source_forbidden", "非法来源",
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
        scenario_id::appid_disabled, "appid_disabled", "appid:XXXXXXXX接口已停用",
        {"开发者账号已停用", "Developer account disabled"},
        {"这个 appid 已被拇指云停止调用，它发出的请求都会被拒绝。本次不扣次数。",
         "The vendor has stopped this appid: every request it sends is refused. This call was "
         "not billed."},
        {"联系拇指云客服（服务热线 13159414139，工作日 09:00-18:00）了解停用原因并申请恢复。",
         "Contact the vendor's support (hotline 13159414139, working days 09:00-18:00) to learn "
         "why and ask for the appid to be restored."},
        "that appid has been disabled by the vendor (XXXXXXXX stands for the appid)",
        request_parameter::appid),

    // The Aliyun API gateway (gateway.md §2 classic, §3 VPC): classic {status, -, message},
    //      VPC {status, code, message}, each with how sure it is.
    // Where a row exists in one generation only, the other answers with its closest real row
    // when one means the same (Internal Error for X500ED/X500AM, Service Unavailable for D503BB,
    // Failed To Invoke Backend Service for D502FC, the T429 codes for the throttle texts);
    // otherwise with the same status and text, without a code (none is invented: user_arrears,
    // param_location in VPC; subscription_invalid, provider_overdue, url_too_long,
    // body_too_large, group_invalid in classic). invalid_stage's classic Invalid Url is
    // gateway.md section 7's. A VPC code listed without a message carries the classic text;
    // templated VPC messages carry a reason of ours. All these choices are marked "ours".
    // An entry that borrows another's real row reads back as that entry (the first in order).
    gateway_answer(
        scenario_id::appcode_invalid, "appcode_invalid", category::auth,
        {400, "", "Invalid AppCode `not exists`", certainty::clients},
        {401, "A401AC", "Invalid AppCode `not exists`", certainty::list},
        {"AppCode 无效", "AppCode not valid"},
        {"阿里云网关不认识这个 AppCode，请求没有到达快递接口。本次不扣次数。",
         "The Aliyun gateway does not know this AppCode, so the request never reached the "
         "tracking API. This call was not billed."},
        {"到阿里云云市场「已购买的服务」复制本产品的 AppCode 完整粘贴，前后不要带空格；请求头写成 Authorization: APPCODE 加一个空格再加 AppCode。",
         "Copy this product's AppCode from \"Purchased Services\" in the Aliyun market console "
         "and paste it whole, without spaces around it; the header is Authorization: APPCODE, "
         "one space, then the AppCode."},
        "Authorization: APPCODE <code> with a code the gateway does not know",
        request_parameter::authorization),
    gateway_answer(
        scenario_id::auth_missing, "auth_missing", category::auth,
        {401, "", "Need authorization", certainty::ours},
        {400, "A400MA", "Need authorization", certainty::list},
        {"缺少 AppCode", "AppCode missing"},
        {"请求没有带 AppCode，阿里云网关直接拒绝了，请求没有到达快递接口。本次不扣次数。",
         "The request carries no AppCode, so the Aliyun gateway refused it before it reached "
         "the tracking API. This call was not billed."},
        {"在请求头里加上 Authorization: APPCODE 你的AppCode（APPCODE 和 AppCode 之间有一个空格）；放在地址参数 AppCode= 里默认不算数。",
         "Add the header Authorization: APPCODE <your AppCode>, with one space between APPCODE "
         "and the code; an AppCode= query parameter does not count by default."},
        "no Authorization header (a query AppCode= counts only in the provider's Header & Query "
        "mode); the classic table has no row for it, we send 401 Need authorization (ours)",
        request_parameter::authorization),
    gateway_answer(
        scenario_id::quota_exhausted, "quota_exhausted", category::quota,
        {403, "", "Quota Exhausted", certainty::official},
        {403, "B403MQ", "Api Market Subscription quota exhausted", certainty::capture},
        {"调用次数已用完", "Calls used up"},
        {"已购买套餐的次数已经全部用完，阿里云网关拒绝了这次请求。本次不扣次数。",
         "The purchased package has no calls left, so the Aliyun gateway refused the request. "
         "This call was not billed."},
        {"到阿里云云市场「已购买的服务」续购套餐，购买后立即恢复；可在阿里云「消息中心」设置余量提醒，避免再次中断。",
         "Buy another package under \"Purchased Services\" in the Aliyun market console; calls "
         "work again at once. Set a low-balance reminder in the Aliyun message centre to avoid "
         "another stop."},
        "the purchased calls are used up"),
    gateway_answer(
        scenario_id::quota_expired, "quota_expired", category::quota,
        {403, "", "Quota Expired", certainty::official},
        {403, "B403ME", "Api Market Subscription expired", certainty::list},
        {"套餐已过期", "Package expired"},
        {"购买的套餐已超过有效期，阿里云网关拒绝了这次请求。本次不扣次数。",
         "The purchased package is past its validity period, so the Aliyun gateway refused the "
         "request. This call was not billed."},
        {"到阿里云云市场「已购买的服务」重新购买套餐后再调用。",
         "Buy a new package under \"Purchased Services\" in the Aliyun market console, then call "
         "again."},
        "the purchased package is past its validity period"),
    gateway_answer(
        scenario_id::unauthorized, "unauthorized", category::auth,
        {403, "", "Unauthorized", certainty::capture},
        {403, "I403AA", "Unauthorized", certainty::list},
        {"没有调用这个接口的权限", "Not authorised for this API"},
        {"这个 AppCode 没有被授权调用本接口，常见于用了其他商品的 AppCode。本次不扣次数。",
         "This AppCode is not authorised to call this API, usually because it belongs to "
         "another product. This call was not billed."},
        {"到阿里云云市场「已购买的服务」确认已购买本商品，并使用本商品对应的 AppCode。",
         "Check under \"Purchased Services\" in the Aliyun market console that this product is "
         "bought, and use the AppCode shown for it."},
        "the AppCode's app is not authorised for this API (e.g. another product's AppCode)",
        request_parameter::authorization),
    gateway_answer(
        scenario_id::auth_expired, "auth_expired", category::auth,
        {403, "", "Expiry of Authorization", certainty::official},
        {403, "A403EP", "Expiry of Authorization", certainty::list},
        {"接口授权已过期", "Authorisation expired"},
        {"这个 AppCode 所属应用对本接口的授权已经超过了有效时间，阿里云网关拒绝了这次请求。本次不扣次数。",
         "The authorisation of this AppCode's app for this API is past its time range, so the "
         "Aliyun gateway refused the request. This call was not billed."},
        {"到阿里云云市场「已购买的服务」查看本商品的有效期，续费或重新购买后使用新的授权；自己管理应用授权的，请在 API 网关控制台延长授权期限。",
         "Check this product's validity under \"Purchased Services\" in the Aliyun market "
         "console and renew or buy it again; if you manage the app's authorisations yourself, "
         "extend the authorisation in the API Gateway console."},
        "the app's authorisation for the API is past its time range (VPC: A403EP, listed "
        "without a message: the classic text, ours)",
        request_parameter::authorization),
    gateway_answer(
        scenario_id::user_arrears, "user_arrears", category::quota,
        {403, "", "User Arrears", certainty::official},
        {403, "", "User Arrears", certainty::ours},
        {"阿里云账号欠费", "Account in arrears"},
        {"调用者的阿里云账号处于欠费状态，网关暂停了调用。本次不扣次数。",
         "The caller's Aliyun account is in arrears, so the gateway suspended the calls. This "
         "call was not billed."},
        {"登录阿里云「费用与成本」充值结清欠费后再调用。",
         "Top up under \"Expenses and Costs\" in the Aliyun console to settle the arrears, then "
         "call again."},
        "the caller's Aliyun account is in arrears (no VPC code is known: the classic text "
        "without a code, ours)"),
    gateway_answer(
        scenario_id::subscription_invalid, "subscription_invalid", category::quota,
        {403, "", "Api Market Subscription invalid", certainty::ours},
        {403, "B403MI", "Api Market Subscription invalid", certainty::list},
        {"云市场订购已失效", "Market subscription invalid"},
        {"这个 AppCode 对应的云市场订购已经失效（例如已退订或被关闭），阿里云网关拒绝了这次请求。本次不扣次数。",
         "The Aliyun market subscription behind this AppCode is no longer valid (e.g. "
         "cancelled or closed), so the Aliyun gateway refused the request. This call was not "
         "billed."},
        {"到阿里云云市场「已购买的服务」查看本商品的订购状态，重新购买后使用新的 AppCode。",
         "Check the subscription's state under \"Purchased Services\" in the Aliyun market "
         "console; buy the product again and use its AppCode."},
        "the market subscription is no longer valid (classic: the VPC text without a code, "
        "ours)"),
    gateway_answer(
        scenario_id::provider_overdue, "provider_overdue", category::gateway_fault,
        {403, "", "Provider Account Overdue", certainty::ours},
        {403, "B403OD", "Provider Account Overdue", certainty::list},
        {"服务商账号欠费", "Provider's account overdue"},
        {"欠费的是服务商（拇指云）的阿里云账号，不是你的账号，接口因此暂停服务。本次不扣次数。",
         "The provider's (the vendor's) Aliyun account is overdue, not yours, so the API is "
         "suspended. This call was not billed."},
        {"你这边无需处理；请联系拇指云客服（服务热线 13159414139，工作日 09:00-18:00）告知接口已停用，恢复后再调用。",
         "Nothing to fix on your side: tell the vendor's support (hotline 13159414139, working "
         "days 09:00-18:00) that the API is stopped, and call again once it is restored."},
        "the provider's account is overdue (VPC B403OD, also B403MO; classic: the VPC text "
        "without a code, ours)"),
    // Which T429 suffix means which limit is not known (gateway.md §3): one line each to change.
    gateway_answer(
        scenario_id::throttled, "throttled", category::throttled,
        {403, "", "Throttled by APP Flow Control", certainty::official},
        {429, "T429PA", "Throttled by APP Flow Control", certainty::list},
        {"请求太频繁", "Too many requests"},
        {"这个 AppCode 所属应用在短时间内请求太多，触发了阿里云网关的应用流量限制，这次请求被拒绝。本次不扣次数。",
         "Too many requests from this AppCode's app in a short time hit the Aliyun gateway's "
         "per-app flow control, so this one was refused. This call was not billed."},
        {"放慢调用速度，等几秒后再试；确实需要更高的并发量时，请联系拇指云客服。",
         "Slow down and try again in a few seconds; if you really need more calls per second, "
         "contact the vendor's support."},
        "too many calls per second on one AppCode (per-app flow control; VPC code chosen from "
        "the T429 list, ours)"),
    gateway_answer(
        scenario_id::throttled_user, "throttled_user", category::throttled,
        {403, "", "Throttled by USER Flow Control", certainty::official},
        {429, "T429ID", "Throttled by USER Flow Control", certainty::list},
        {"账号请求太频繁", "Too many requests from the account"},
        {"同一个阿里云账号在短时间内请求太多，触发了网关的用户流量限制，这次请求被拒绝。本次不扣次数。",
         "Too many requests from the same Aliyun account in a short time hit the gateway's "
         "per-user flow control, so this one was refused. This call was not billed."},
        {"放慢调用速度，等几秒后再试；同一账号下的多个程序共用这个限额，请错开调用。",
         "Slow down and try again in a few seconds; all programs of the same account share "
         "this limit, so spread their calls."},
        "per-user flow control (VPC code chosen from the T429 list, ours)"),
    gateway_answer(
        scenario_id::throttled_api, "throttled_api", category::throttled,
        {403, "", "Throttled by API Flow Control", certainty::official},
        {429, "T429PR", "Throttled by API Flow Control", certainty::list},
        {"接口总请求太多", "Too many requests to the API"},
        {"所有调用者对本接口的请求加起来超过了网关给接口设的流量上限，这次请求被拒绝。本次不扣次数。",
         "All callers together exceeded the flow limit the gateway sets for this API, so this "
         "request was refused. This call was not billed."},
        {"等几秒后再试；持续出现时请联系拇指云客服。",
         "Try again in a few seconds; if it persists, contact the vendor's support."},
        "per-API flow control (VPC code chosen from the T429 list, ours)"),
    gateway_answer(
        scenario_id::throttled_domain, "throttled_domain", category::throttled,
        {403, "", "Throttled by DOMAIN Flow Control", certainty::official},
        {429, "T429SR", "Throttled by DOMAIN Flow Control", certainty::list},
        {"测试域名次数已用完", "Test domain limit reached"},
        {"请求发到了阿里云分配的二级域名（测试用，每天最多 1000 次），今天的次数已经用完。本次不扣次数。",
         "The request went to the second-level domain Aliyun assigns for testing (at most 1000 "
         "calls a day) and today's calls are used up. This call was not billed."},
        {"改用接口的正式地址 https://chawuliu.market.alicloudapi.com/query，或明天再试。",
         "Use the API's own address https://chawuliu.market.alicloudapi.com/query, or try "
         "again tomorrow."},
        "second-level domain flow control, 1000 calls a day (VPC code chosen from the T429 "
        "list, ours)"),
    gateway_answer(
        scenario_id::throttled_group, "throttled_group", category::throttled,
        {403, "", "Throttled by GROUP Flow Control", certainty::official},
        {429, "T429GR", "Throttled by GROUP Flow Control", certainty::list},
        {"接口分组请求太多", "Too many requests to the API group"},
        {"服务商这一组接口的总请求量超过了网关的每秒上限，这次请求被拒绝。本次不扣次数。",
         "The provider's group of APIs exceeded the gateway's calls-per-second limit, so this "
         "request was refused. This call was not billed."},
        {"等几秒后再试；持续出现时请联系拇指云客服。",
         "Try again in a few seconds; if it persists, contact the vendor's support."},
        "group QPS flow control (VPC code chosen from the T429 list, ours)"),
    gateway_answer(
        scenario_id::api_not_found, "api_not_found", category::bad_request,
        {400, "", "Invalid Url", certainty::official},
        {404, "I404NF", "API not found", certainty::official},
        {"请求地址或方法不对", "Wrong path or method"},
        {"阿里云网关在这个地址上找不到接口：请求方法、路径或环境不对。本次不扣次数。",
         "The Aliyun gateway found no API for this request: the method, the path or the stage "
         "is wrong. This call was not billed."},
        {"确认用 GET 方法请求 https://chawuliu.market.alicloudapi.com/query（路径是 /query），并且不要带 X-Ca-Stage 请求头。",
         "Make sure the request is a GET to https://chawuliu.market.alicloudapi.com/query (path "
         "/query) without an X-Ca-Stage header."},
        "wrong path or method: `GET /nosuch`, `POST /query` (VPC: I404NF with no reason, ours)"),
    gateway_answer(
        scenario_id::api_offline, "api_offline", category::bad_request,
        {400, "", "API Not Found", certainty::official},
        {404, "I404NF", "API not found", certainty::official},
        {"接口不存在或已下线", "API not found or offline"},
        {"阿里云网关找不到这个接口：地址或方法不对，或者接口已经下线。本次不扣次数。",
         "The Aliyun gateway cannot find this API: the address or the method is wrong, or the "
         "API has been taken offline. This call was not billed."},
        {"确认用 GET 方法请求 https://chawuliu.market.alicloudapi.com/query；地址无误时，请向拇指云客服确认接口是否仍在服务。",
         "Make sure the request is a GET to https://chawuliu.market.alicloudapi.com/query; if "
         "it is, ask the vendor's support whether the API is still in service."},
        "the API is offline (only on purpose; an unknown path answers api_not_found)"),
    gateway_answer(
        scenario_id::invalid_stage, "invalid_stage", category::bad_request,
        {400, "", "Invalid Url", certainty::official},
        {400, "I400SG", "Invalid Stage", certainty::official},
        {"请求的环境不对", "Wrong stage"},
        {"请求头 X-Ca-Stage 指定了测试或预发环境（TEST、PRE），而本接口只发布在线上环境。本次不扣次数。",
         "The X-Ca-Stage header names the test or pre-release stage (TEST, PRE), but this API "
         "is published only to the release stage. This call was not billed."},
        {"去掉 X-Ca-Stage 请求头，或把它设为 RELEASE。",
         "Remove the X-Ca-Stage header or set it to RELEASE."},
        "`X-Ca-Stage: TEST` or `PRE`"),
    gateway_answer(
        scenario_id::invalid_domain, "invalid_domain", category::bad_request,
        {400, "", "Invalid Domain", certainty::official},
        {404, "I404DO", "Invalid Domain `api.example.com`", certainty::official},
        {"域名不对", "Wrong domain"},
        {"请求发到的域名下没有这个接口。本次不扣次数。",
         "There is no API under the domain the request was sent to. This call was not billed."},
        {"把地址改成 https://chawuliu.market.alicloudapi.com/query。",
         "Send the request to https://chawuliu.market.alicloudapi.com/query."},
        "proxy mode: an absolute URL whose host is not the API's (VPC: the domain named is "
        "ours)"),
    gateway_answer(
        scenario_id::method_unsupported, "method_unsupported", category::bad_request,
        {400, "", "Invalid HttpMethod", certainty::official},
        {405, "I405UM", "Unsupported Method `TRACE`", certainty::official},
        {"请求方法不被支持", "Method not supported"},
        {"阿里云网关不支持这次请求使用的 HTTP 方法。本次不扣次数。",
         "The Aliyun gateway does not support the HTTP method of this request. This call was "
         "not billed."},
        {"用 GET 方法请求 /query。", "Use GET for /query."},
        "a method the gateway does not support (only on purpose: any method but GET, HEAD and "
        "OPTIONS answers api_not_found, gateway.md section 7; VPC: the method named is ours)"),
    gateway_answer(
        scenario_id::param_location, "param_location", category::bad_request,
        {400, "", "Invalid Param Location", certainty::official},
        {400, "", "Invalid Param Location", certainty::ours},
        {"参数位置不对", "Parameter in the wrong place"},
        {"有参数放错了位置：本接口的 kddh、code、tel 都应放在地址的查询参数里，而不是请求头或请求体里。本次不扣次数。",
         "A parameter was sent in the wrong place: kddh, code and tel of this API belong in "
         "the URL's query, not in a header or the body. This call was not billed."},
        {"把参数写在地址里，例如 /query?kddh=单号&tel=8888。",
         "Put the parameters in the URL, e.g. /query?kddh=<number>&tel=8888."},
        "a parameter sent in a header or the body instead of the query (no VPC code is known: "
        "the classic text without a code, ours)"),
    gateway_answer(
        scenario_id::url_too_long, "url_too_long", category::bad_request,
        {413, "", "Request URL too Large", certainty::ours},
        {413, "I413UL", "Request URL too Large", certainty::official},
        {"请求地址太长", "Request URL too long"},
        {"请求地址超过了阿里云网关允许的长度，请求被拒绝。本次不扣次数。",
         "The request URL is longer than the Aliyun gateway allows, so it was refused. This "
         "call was not billed."},
        {"检查参数里是否误粘贴了大段内容；单号、代码和手机尾号都很短。",
         "Check the parameters for a large block of text pasted by mistake; the number, the "
         "code and the phone tail are all short."},
        "request URL beyond the gateway's limit (classic: the VPC text, ours)"),
    gateway_answer(
        scenario_id::body_too_large, "body_too_large", category::bad_request,
        {413, "", "Request body too Large", certainty::ours},
        {413, "I413RL", "Request body too Large", certainty::official},
        {"请求体太大", "Request body too large"},
        {"请求带了一个超过网关上限的请求体；本接口是 GET，本来就不需要请求体。本次不扣次数。",
         "The request carried a body beyond the gateway's limit; this API is a GET and needs no "
         "body at all. This call was not billed."},
        {"不要发送请求体，参数都放在地址里。",
         "Send no body; put the parameters in the URL."},
        "a request body beyond the gateway's limit (classic: the VPC text, ours)"),
    gateway_answer(
        scenario_id::group_invalid, "group_invalid", category::gateway_fault,
        {410, "", "Group's instance invalid", certainty::ours},
        {410, "I410GG", "Group's instance invalid", certainty::official},
        {"接口所在的网关实例已失效", "The API's gateway instance is gone"},
        {"服务商放置本接口的阿里云网关实例已失效，问题在服务商一侧。本次不扣次数。",
         "The Aliyun gateway instance the provider runs this API on is no longer valid: the "
         "fault is on the provider's side. This call was not billed."},
        {"联系拇指云客服（服务热线 13159414139，工作日 09:00-18:00）。",
         "Contact the vendor's support (hotline 13159414139, working days 09:00-18:00)."},
        "the API group's gateway instance is invalid (classic: the VPC text, ours)"),
    gateway_answer(
        scenario_id::gateway_internal, "gateway_internal", category::gateway_fault,
        {500, "", "Internal Error", certainty::official},
        {500, "X500ER", "Internal Error", certainty::list},
        {"阿里云网关内部错误", "Gateway internal error"},
        {"阿里云网关内部出错，与请求内容无关。本次不扣次数。",
         "The Aliyun gateway failed internally; the request itself was fine. This call was not "
         "billed."},
        {"稍等片刻后重试；一直出现时记下响应头里的 X-Ca-Request-Id，联系拇指云客服或阿里云排查。",
         "Try again in a moment; if it keeps happening, note the X-Ca-Request-Id response "
         "header and give it to the vendor's support or Aliyun."},
        "internal fault of the gateway (VPC X500ER listed without a message: the classic text, "
        "ours)"),
    gateway_answer(
        scenario_id::api_definition_expired, "api_definition_expired", category::gateway_fault,
        {500, "", "Internal Error", certainty::ours},
        {500, "X500ED", "Expired api definition", certainty::official},
        {"接口定义已过期", "API definition expired"},
        {"阿里云网关上本接口的定义已过期，问题在服务商一侧。本次不扣次数。",
         "The gateway's definition of this API has expired: the fault is on the provider's "
         "side. This call was not billed."},
        {"稍后重试；一直出现时联系拇指云客服，请他们重新发布接口。",
         "Try again later; if it keeps happening, ask the vendor's support to deploy the API "
         "again."},
        "the gateway's API definition expired (classic: Internal Error, ours)"),
    gateway_answer(
        scenario_id::api_meta_invalid, "api_meta_invalid", category::gateway_fault,
        {500, "", "Internal Error", certainty::ours},
        {500, "X500AM", "Invalid Api Meta, try deploy again or contact us via ticket",
         certainty::official},
        {"接口配置无效", "API configuration invalid"},
        {"阿里云网关上本接口的配置无效，问题在服务商一侧。本次不扣次数。",
         "The gateway's configuration of this API is invalid: the fault is on the provider's "
         "side. This call was not billed."},
        {"稍后重试；一直出现时联系拇指云客服，请他们重新发布接口。",
         "Try again later; if it keeps happening, ask the vendor's support to deploy the API "
         "again."},
        "the gateway's API meta is invalid (classic: Internal Error, ours)"),
    gateway_answer(
        scenario_id::backend_unreachable, "backend_unreachable", category::gateway_fault,
        {500, "", "Failed To Invoke Backend Service", certainty::official},
        {504, "D504CO", "Backend service connect failed `Timeout connecting to 203.0.113.10:80`",
         certainty::official},
        {"查询服务连接不上", "Tracking service unreachable"},
        {"阿里云网关连接不上拇指云的查询服务，问题在服务商一侧。本次不扣次数。",
         "The Aliyun gateway could not connect to the vendor's tracking service: the fault is "
         "on the vendor's side. This call was not billed."},
        {"稍后重试；一直出现时联系拇指云客服（服务热线 13159414139，工作日 09:00-18:00）。",
         "Try again later; if it keeps happening, contact the vendor's support (hotline "
         "13159414139, working days 09:00-18:00)."},
        "the gateway cannot connect to the vendor's backend (VPC: the reason, a connect "
        "timeout to a documentation address, is ours; D504RE/IL/CS read as this entry)"),
    gateway_answer(
        scenario_id::backend_bad_answer, "backend_bad_answer", category::gateway_fault,
        {500, "", "Failed To Invoke Backend Service", certainty::ours},
        {502, "D502FC", "Failed To Invoke Backend Service", certainty::list},
        {"查询服务答复异常", "Tracking service answered badly"},
        {"拇指云的查询服务返回了网关无法使用的答复，问题在服务商一侧。本次不扣次数。",
         "The vendor's tracking service sent an answer the gateway could not use: the fault is "
         "on the vendor's side. This call was not billed."},
        {"稍后重试；一直出现时联系拇指云客服。",
         "Try again later; if it keeps happening, contact the vendor's support."},
        "the backend's answer is unusable (VPC D502FC, also N502RE, listed without a message: "
        "the classic text, ours)"),
    gateway_answer(
        scenario_id::backend_timeout, "backend_timeout", category::gateway_fault,
        {504, "", "Async Service", certainty::official},
        {504, "D504TO", "Backend service request timeout", certainty::list},
        {"查询服务超时", "Tracking service timed out"},
        {"拇指云的查询服务没有在规定时间内应答，阿里云网关放弃了等待。本次不扣次数。",
         "The vendor's tracking service did not answer in time, so the Aliyun gateway gave up "
         "waiting. This call was not billed."},
        {"稍后重试一次；持续超时请联系拇指云客服。",
         "Try once more later; if it keeps timing out, contact the vendor's support."},
        "the vendor's backend does not answer within the gateway's timeout (X504TO reads as "
        "this entry)"),
    gateway_answer(
        scenario_id::service_busy, "service_busy", category::gateway_fault,
        {503, "", "Service Unavailable", certainty::official},
        {503, "X503BZ", "Service Busy", certainty::list},
        {"服务繁忙", "Service busy"},
        {"服务暂时繁忙或在维护，阿里云网关拒绝了这次请求。本次不扣次数。",
         "The service is busy or under maintenance for now, so the Aliyun gateway refused the "
         "request. This call was not billed."},
        {"等几分钟再试。", "Try again in a few minutes."},
        "the gateway is overloaded or under maintenance"),
    gateway_answer(
        scenario_id::backend_busy, "backend_busy", category::gateway_fault,
        {503, "", "Service Unavailable", certainty::ours},
        {503, "D503BB", "Service Unavailable", certainty::list},
        {"查询服务繁忙", "Tracking service busy"},
        {"拇指云的查询服务繁忙，阿里云网关暂停把请求转给它（可能触发了熔断）。本次不扣次数。",
         "The vendor's tracking service is busy, so the Aliyun gateway stopped passing requests "
         "to it for now (possibly a circuit breaker). This call was not billed."},
        {"等几分钟再试；持续出现时联系拇指云客服。",
         "Try again in a few minutes; if it persists, contact the vendor's support."},
        "the backend is busy or its circuit breaker is open (VPC D503BB, also D503CB, listed "
        "without a message: the classic text, ours)"),
};
// clang-format on

static_assert(std::size(catalogue) == 12 + 1 + 11 + 31,
              "api.md's 24 vendor answers and success, gateway.md's 31 gateway entries");
static_assert(std::size(catalogue) == scenario_count, "one scenario_id per entry");

constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < std::size(catalogue); ++i)
    if (static_cast<std::size_t>(catalogue[i].key) != i) return false;
  return true;
}
static_assert(in_enum_order(), "entry(scenario_id) indexes the catalogue by its id");

// Classic X-Ca-Error-Message texts seen besides each entry's own (gateway.md §2).
struct message_alias {
  string_view message;
  scenario_id id;
};

constexpr message_alias classic_aliases[] = {
    // Market sample code checks the VPC text at 403 on classic instances too (clients).
    {"Api Market Subscription quota exhausted", scenario_id::quota_exhausted},
};

// Listed VPC codes that share an entry with another code (gateway.md §3).
struct code_alias {
  string_view code;
  scenario_id id;
};

constexpr code_alias vpc_code_aliases[] = {
    {"A400AC", scenario_id::appcode_invalid},     {"B403MO", scenario_id::provider_overdue},
    {"T429IN", scenario_id::throttled},           {"T429MR", scenario_id::throttled},
    {"X504TO", scenario_id::backend_timeout},     {"D504RE", scenario_id::backend_unreachable},
    {"D504IL", scenario_id::backend_unreachable}, {"D504CS", scenario_id::backend_unreachable},
    {"N502RE", scenario_id::backend_bad_answer},  {"D503CB", scenario_id::backend_busy},
};

// Any other T429… code is flow control too.
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

const scenario& entry(scenario_id id) { return catalogue[static_cast<std::size_t>(id)]; }

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

namespace {

// `same` compares as the gateway sends (exact) or ignoring case; the first entry wins, so an
// entry that borrows another's text (invalid_stage's classic Invalid Url) never shadows it.
template <typename Same>
const scenario* gateway_by_code(string_view code, Same same) {
  for (const scenario& s : catalogue)
    if (s.source == answer_source::gateway && !s.vpc.code.empty() && same(s.vpc.code, code)) return &s;
  for (const code_alias& alias : vpc_code_aliases)
    if (same(alias.code, code)) return &entry(alias.id);
  return nullptr;
}

template <typename Same>
const scenario* gateway_by_message(string_view message, Same same) {
  for (const scenario& s : catalogue)
    if (s.source == answer_source::gateway &&
        (same(s.classic.message, message) || same(s.vpc.message, message)))
      return &s;
  for (const message_alias& alias : classic_aliases)
    if (same(alias.message, message)) return &entry(alias.id);
  return nullptr;
}

bool exact(string_view a, string_view b) { return text::equals(a, b); }
bool any_case(string_view a, string_view b) { return text::iequals(a, b); }

}  // namespace

const scenario* find_gateway_scenario(int http_status, string_view code, string_view message) {
  // The header decides; the status alone is ambiguous (a 403 is several cases) and is left to
  // the interpreter, so it is not needed here.
  static_cast<void>(http_status);
  code = text::trim(code);
  message = text::trim(message);
  if (!code.empty()) {
    if (const scenario* s = gateway_by_code(code, exact)) return s;
    if (const scenario* s = gateway_by_code(code, any_case)) return s;
    if (starts_with_icase(code, throttled_code_prefix)) return &entry(scenario_id::throttled);
    // An unknown code: the message may still say what happened.
  }
  if (message.empty()) return nullptr;
  if (const scenario* s = gateway_by_message(message, exact)) return s;
  if (const scenario* s = gateway_by_message(message, any_case)) return s;
  // A templated VPC text ("Backend service connect failed `<reason>`") with another reason.
  for (const scenario& s : catalogue) {
    const auto tick = s.vpc.message.find('`');
    if (s.source != answer_source::gateway || tick == string_view::npos) continue;
    const string_view fixed = s.vpc.message.substr(0, tick + 1);
    if (message.size() > fixed.size() && message.substr(0, fixed.size()) == fixed) return &s;
  }
  return nullptr;
}

namespace {

// Built once from the catalogue: for each status, the gateway entries answering it in either
// generation, in catalogue order.
struct by_status {
  std::vector<int> statuses;
  std::vector<std::vector<const scenario*>> entries;
  by_status() {
    for (const scenario& s : catalogue) {
      if (s.source != answer_source::gateway) continue;
      for (int status : {s.classic.http_status, s.vpc.http_status}) {
        auto at = std::find(statuses.begin(), statuses.end(), status);
        if (at == statuses.end()) {
          statuses.push_back(status);
          entries.emplace_back();
          at = statuses.end() - 1;
        }
        auto& list = entries[static_cast<std::size_t>(at - statuses.begin())];
        if (std::find(list.begin(), list.end(), &s) == list.end()) list.push_back(&s);
      }
    }
  }
};

const by_status& gateway_status_table() {
  static const by_status table;
  return table;
}

}  // namespace

const std::vector<int>& gateway_statuses() { return gateway_status_table().statuses; }

status_range gateway_scenarios_with_status(int http_status) {
  const by_status& table = gateway_status_table();
  const auto at = std::find(table.statuses.begin(), table.statuses.end(), http_status);
  if (at == table.statuses.end()) return {nullptr, nullptr};
  const auto& list = table.entries[static_cast<std::size_t>(at - table.statuses.begin())];
  return {list.data(), list.data() + list.size()};
}

certainty confidence_of(const scenario& s, gateway_generation generation) {
  return s.source == answer_source::gateway ? gateway_error_for(s, generation).confidence : certainty::doc;
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

string_view to_string(scenario_id id) { return entry(id).id; }

namespace {

constexpr names::row<request_parameter> request_parameter_names[] = {
    {request_parameter::none, "none"},   {request_parameter::kddh, "kddh"},
    {request_parameter::code, "code"},   {request_parameter::tel, "tel"},
    {request_parameter::appid, "appid"}, {request_parameter::sendtime, "sendtime"},
    {request_parameter::sign, "sign"},   {request_parameter::authorization, "authorization"},
};
static_assert(names::covers(request_parameter_names, request_parameter::authorization));

constexpr names::row<certainty> certainty_names[] = {
    {certainty::doc, "doc"},         {certainty::official, "official"}, {certainty::capture, "capture"},
    {certainty::clients, "clients"}, {certainty::list, "list"},         {certainty::ours, "ours"},
};
static_assert(names::covers(certainty_names, certainty::ours));

constexpr names::row<answer_source> answer_source_names[] = {
    {answer_source::vendor, "vendor"},
    {answer_source::own_platform, "own_platform"},
    {answer_source::gateway, "gateway"},
};
static_assert(names::covers(answer_source_names, answer_source::gateway));

constexpr names::row<category> category_names[] = {
    {category::success, "success"},
    {category::no_record, "no_record"},
    {category::bad_number, "bad_number"},
    {category::carrier_unmatched, "carrier_unmatched"},
    {category::bad_parameter, "bad_parameter"},
    {category::own_platform, "own_platform"},
    {category::quota, "quota"},
    {category::auth, "auth"},
    {category::throttled, "throttled"},
    {category::gateway_fault, "gateway_fault"},
    {category::bad_request, "bad_request"},
};
static_assert(names::covers(category_names, category::bad_request));

constexpr names::row<gateway_generation> gateway_generation_names[] = {
    {gateway_generation::classic, "classic"},
    {gateway_generation::vpc, "vpc"},
};
static_assert(names::covers(gateway_generation_names, gateway_generation::vpc));

}  // namespace

string_view to_string(request_parameter parameter) {
  return names::name_of(request_parameter_names, parameter);
}
string_view to_string(certainty confidence) { return names::name_of(certainty_names, confidence); }
string_view to_string(answer_source source) { return names::name_of(answer_source_names, source); }
string_view to_string(category kind) { return names::name_of(category_names, kind); }
string_view to_string(gateway_generation generation) {
  return names::name_of(gateway_generation_names, generation);
}

std::optional<gateway_generation> parse_gateway_generation(string_view name) {
  return names::value_named(gateway_generation_names, name);
}

string_view describe(certainty confidence) {
  return confidence == certainty::list ? "list (unverified)" : to_string(confidence);
}

}  // namespace kuaidi
