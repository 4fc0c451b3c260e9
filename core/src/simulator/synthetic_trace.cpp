#include "kuaidi/synthetic_trace.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "kuaidi/faults.hpp"
#include "kuaidi/time.hpp"

namespace kuaidi {

namespace {

struct city {
  std::string_view name;      // as the events write it: "泉州市"
  std::string_view province;  // for the branch's name: "福建"
  std::array<std::string_view, 3> districts;
};

// Real cities and districts; facility names are made from them the way carriers name theirs.
constexpr city cities[] = {
    {"北京市", "北京", {"朝阳", "海淀", "丰台"}},     {"上海市", "上海", {"浦东", "闵行", "嘉定"}},
    {"广州市", "广东", {"天河", "白云", "番禺"}},     {"深圳市", "广东", {"南山", "宝安", "龙岗"}},
    {"杭州市", "浙江", {"西湖", "余杭", "萧山"}},     {"义乌市", "浙江", {"稠城", "北苑", "佛堂"}},
    {"泉州市", "福建", {"丰泽", "晋江", "石狮"}},     {"厦门市", "福建", {"思明", "湖里", "集美"}},
    {"南京市", "江苏", {"鼓楼", "江宁", "浦口"}},     {"苏州市", "江苏", {"姑苏", "吴中", "昆山"}},
    {"成都市", "四川", {"武侯", "锦江", "双流"}},     {"重庆市", "重庆", {"渝中", "江北", "沙坪坝"}},
    {"武汉市", "湖北", {"江汉", "洪山", "汉阳"}},     {"长沙市", "湖南", {"岳麓", "开福", "雨花"}},
    {"西安市", "陕西", {"雁塔", "未央", "长安"}},     {"郑州市", "河南", {"金水", "中原", "管城"}},
    {"济南市", "山东", {"历下", "槐荫", "天桥"}},     {"青岛市", "山东", {"市南", "黄岛", "城阳"}},
    {"天津市", "天津", {"和平", "南开", "滨海"}},     {"沈阳市", "辽宁", {"和平", "沈河", "浑南"}},
    {"昆明市", "云南", {"五华", "官渡", "呈贡"}},     {"合肥市", "安徽", {"蜀山", "包河", "瑶海"}},
    {"南昌市", "江西", {"东湖", "青山湖", "红谷滩"}}, {"福州市", "福建", {"鼓楼", "仓山", "晋安"}},
};

constexpr std::string_view surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵",
                                         "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"};
constexpr std::string_view given_names[] = {"伟", "芳", "娜", "敏", "静", "强", "磊", "军",
                                            "洋", "勇", "艳", "杰", "涛", "明", "超", "舒宝"};
constexpr std::string_view signers[] = {"本人", "家人", "前台", "快递柜", "驿站", "门卫"};
constexpr std::string_view problems[] = {"收件人电话无人接听", "收件地址不详", "收件人要求改期"};

// The vendor's status codes as kdniao publishes them (api.md §2).
enum class vendor_status : int { picked_up = 1, in_transit = 2, delivered = 3, problem = 4 };

class seeded_random {
 public:
  explicit seeded_random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() { return state_ = splitmix64(state_); }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(high - low + 1));
  }
  template <typename T, std::size_t N>
  const T& pick(const T (&list)[N]) {
    return list[below(N)];
  }

 private:
  std::uint64_t state_;
};

std::uint64_t fnv1a(std::string_view a, std::string_view b) {
  std::uint64_t h = 1469598103934665603ULL;
  for (std::string_view part : {a, std::string_view("|"), b})
    for (unsigned char c : part) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::string join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out += p;
  return out;
}

struct courier {
  std::string name;
  std::string phone;  // masked as carriers print it: 138****5678
};

// One draw per statement: the operands of + are evaluated in an order compilers choose (GCC and
// clang differ), and the native and wasm builds must give the same courier.
courier make_courier(seeded_random& random) {
  courier c;
  c.name = join({random.pick(surnames), random.pick(given_names)});  // braced lists are in order
  const std::int64_t second = random.between(3, 9);
  const std::int64_t third = random.between(0, 9);
  const std::int64_t last = random.between(1000, 9999);
  c.phone = "1" + std::to_string(second) + std::to_string(third) + "****" + std::to_string(last);
  return c;
}

struct route_end {
  const city* place;
  std::string branch;  // "福建丰泽营业部"
  std::string hub;     // "泉州转运中心"
  courier person;
};

std::string hub_of(const city& place) {
  return join({place.name.substr(0, place.name.size() - std::string_view("市").size()), "转运中心"});
}

route_end make_end(const city& place, seeded_random& random) {
  route_end end{&place, {}, hub_of(place), make_courier(random)};
  end.branch = join({place.province, place.districts[random.below(3)], "营业部"});
  return end;
}

struct timed_event {
  std::int64_t at;
  std::string content;
  vendor_status status;
};

std::string bracket(std::string_view text) { return join({"【", text, "】"}); }

// The whole journey, oldest first, with the gaps (seconds) real parcels show between its events;
// a third of the routes pass a hub of a third city. 19 hours to about 4 days from end to end.
std::vector<timed_event> journey(const route_end& from, const route_end& to, const city& via,
                                 std::int64_t start, seeded_random& random, bool goes_wrong) {
  std::vector<timed_event> events;
  std::int64_t at = start;
  auto add = [&](std::string content, vendor_status status, std::int64_t min_gap, std::int64_t max_gap) {
    events.push_back({at, std::move(content), status});
    at += random.between(min_gap, max_gap);
  };
  const std::string from_city = bracket(from.place->name), to_city = bracket(to.place->name);
  std::string next_hub = to.hub;
  const bool through = random.below(3) == 0;
  if (through) next_hub = hub_of(via);
  add(join({from_city, bracket(from.branch), "的", from.person.name, "(", from.person.phone, ")已揽收"}),
      vendor_status::picked_up, 7200, 28800);
  add(join({from_city, "快件离开", bracket(from.branch), "已发往", bracket(from.hub)}),
      vendor_status::in_transit, 3600, 10800);
  add(join({from_city, "快件已经到达", bracket(from.hub)}), vendor_status::in_transit, 7200, 21600);
  add(join({from_city, "快件离开", bracket(from.hub), "已发往", bracket(next_hub)}),
      vendor_status::in_transit, 28800, 108000);
  if (through) {
    const std::string via_city = bracket(via.name);
    add(join({via_city, "快件已经到达", bracket(next_hub)}), vendor_status::in_transit, 7200, 21600);
    add(join({via_city, "快件离开", bracket(next_hub), "已发往", bracket(to.hub)}), vendor_status::in_transit,
        28800, 86400);
  }
  add(join({to_city, "快件已经到达", bracket(to.hub)}), vendor_status::in_transit, 7200, 21600);
  add(join({to_city, "快件离开", bracket(to.hub), "已发往", bracket(to.branch)}), vendor_status::in_transit,
      7200, 18000);
  add(join({to_city, "快件已经到达", bracket(to.branch)}), vendor_status::in_transit, 3600, 36000);
  add(join({to_city, bracket(to.branch), "的", to.person.name, "(", to.person.phone, ")正在派件"}),
      vendor_status::in_transit, 3600, 18000);
  if (goes_wrong) {
    add(join({to_city, "快件异常: ", random.pick(problems), ", ", bracket(to.branch), "将与收件人联系"}),
        vendor_status::problem, 0, 0);
  } else {
    add(join({to_city, "快件已签收, 签收人: ", random.pick(signers), ", 如有疑问请联系", to.person.name, "(",
              to.person.phone, ")"}),
        vendor_status::delivered, 0, 0);
  }
  return events;
}

}  // namespace

trace synthesize_trace(std::string_view tracking_number, const carrier& by, std::int64_t anchor_seconds,
                       std::int64_t clock_seconds) {
  seeded_random random(fnv1a(tracking_number, by.code));
  constexpr std::size_t city_count = std::size(cities);
  const std::size_t from_index = random.below(city_count);
  const std::size_t to_index = (from_index + 1 + random.below(city_count - 1)) % city_count;
  std::size_t via_index = random.below(city_count - 2);  // neither end's city
  for (const std::size_t taken : {std::min(from_index, to_index), std::max(from_index, to_index)})
    if (via_index >= taken) ++via_index;
  const route_end from = make_end(cities[from_index], random);
  const route_end to = make_end(cities[to_index], random);
  const bool goes_wrong = random.below(16) == 0;
  // Picked up between 10 minutes and 4.5 days before the anchor: journeys last 19 hours to about
  // 4 days, so about half of all parcels are on their way when the clock starts.
  const std::int64_t start = anchor_seconds - random.between(600, 4 * 86400 + 43200);
  const auto events = journey(from, to, cities[via_index], start, random, goes_wrong);

  trace t;
  t.carrier_name = std::string(by.name_zh);
  t.tracking_number = std::string(tracking_number);
  for (const auto& e : events) {
    if (e.at > clock_seconds) break;
    t.events.push_back({china_time(e.at), e.content});
    t.status = static_cast<int>(e.status);
  }
  std::reverse(t.events.begin(), t.events.end());  // the API lists the newest first
  return t;
}

bool looks_void(std::string_view tracking_number) {
  char digit = 0;
  std::size_t digits = 0;
  for (char c : tracking_number) {
    if (c < '0' || c > '9') continue;
    if (digits++ == 0)
      digit = c;
    else if (c != digit)
      return false;
  }
  return digits >= 8;
}

}  // namespace kuaidi
