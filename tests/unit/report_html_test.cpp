// The report page renderer: the data is embedded so that no string in it can close the script,
// it reads back as the same JSON, the title is escaped, and ECharts and the page's script are inlined.
#include <gtest/gtest.h>

#include <string>

#include "app/output/report_html.hpp"

namespace shardsim::app {
namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
  return n;
}

// The text between <script type="application/json" id="report-data"> and its </script>.
std::string embedded_data(const std::string& html) {
  const std::string open = "id=\"report-data\">";
  const std::size_t a = html.find(open);
  if (a == std::string::npos) return {};
  const std::size_t b = html.find("</script>", a);
  return html.substr(a + open.size(), b - a - open.size());
}

TEST(ReportHtml, ScriptEndInDataCannotBreakOut) {
  const nlohmann::json data = {{"kind", "run"},
                               {"title", "x</script><script>alert(1)</script>"},
                               {"runs", {{{"name", "</SCRIPT><!-- evil"}, {"seed", 1}}}}};
  const std::string html = render_report_html(data);
  // Four scripts of our own (error trap, ECharts, the data, the page's script), four closings.
  EXPECT_EQ(count(html, "</script>"), 4u);
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
  EXPECT_EQ(html.find("</SCRIPT>"), std::string::npos);
  EXPECT_EQ(html.find("<!-- evil"), std::string::npos);
  const std::string blob = embedded_data(html);
  EXPECT_NE(blob.find("\\u003c/script>"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(blob), data);  // \u003c reads back as `<`
  EXPECT_NE(html.find("<title>x&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>"), std::string::npos);
}

TEST(ReportHtml, SectionsPresentOrAbsentAreEmbeddedAsGiven) {
  const nlohmann::json sweep = {{"kind", "sweep"},
                                {"sweep", {{"params", {"a"}}, {"seeds", 2}, {"metrics", nlohmann::json::array()},
                                           {"points", nlohmann::json::array()}}}};
  const nlohmann::json parsed = nlohmann::json::parse(embedded_data(render_report_html(sweep)));
  EXPECT_TRUE(parsed.contains("sweep"));
  EXPECT_FALSE(parsed.contains("runs"));
  EXPECT_FALSE(parsed.contains("compare"));
  // An empty object still makes a whole page with the default title.
  const std::string empty = render_report_html(nlohmann::json::object());
  EXPECT_NE(empty.find("<title>shardsim report</title>"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(embedded_data(empty)), nlohmann::json::object());
  EXPECT_EQ(empty.rfind("</html>\n"), empty.size() - 8);
}

TEST(ReportHtml, OrderedJsonKeepsKeyOrder) {
  nlohmann::ordered_json data;
  data["zeta"] = 1;
  data["alpha"] = 2;
  const std::string blob = embedded_data(render_report_html(data));
  EXPECT_EQ(blob, "{\"zeta\":1,\"alpha\":2}");
}

TEST(ReportHtml, InlinesEchartsAndThePageScript) {
  const std::string_view js = echarts_js();
  EXPECT_GT(js.size(), 500'000u);
  EXPECT_NE(js.find("Apache Software Foundation"), std::string_view::npos);
  // Inlined in a <script>, ECharts itself must not contain a script end tag.
  EXPECT_EQ(js.find("</script"), std::string_view::npos);
  const std::string html = render_report_html(nlohmann::json::object());
  // The page's script, its four parts in order, whole: one closure opened by the first and closed by the last.
  std::size_t at = 0;
  for (const std::string_view part : {report_core_js(), report_run_js(), report_batch_js(), report_page_js()}) {
    EXPECT_EQ(part.find("</script"), std::string_view::npos);
    const std::size_t found = html.find(std::string(part));
    ASSERT_NE(found, std::string::npos);
    EXPECT_GE(found, at);
    at = found + part.size();
  }
  EXPECT_EQ(report_core_js().find("(function () {"), report_core_js().find("(function"));  // opens first
  EXPECT_EQ(report_page_js().find("})();"), report_page_js().rfind("})();"));              // closes once
  EXPECT_NE(html.find(std::string(js.substr(0, 2000))), std::string::npos);
  EXPECT_NE(html.find("data-charts-rendered"), std::string::npos);
  EXPECT_NE(html.find("window.onerror"), std::string::npos);
  EXPECT_LT(html.find("window.onerror"), html.find(std::string(js.substr(0, 200))));  // the trap comes first
  EXPECT_EQ(count(html, "http://"), count(std::string(js), "http://"));  // no network reference of ours
  EXPECT_EQ(count(html, "https://"), count(std::string(js), "https://"));
}

}  // namespace
}  // namespace shardsim::app
