// Assembles report.html: error trap first, then style, ECharts and the data (with every `<`
// written as \u003c so that no string in it can close the <script>), then the page's script.
#include "app/output/report_html.hpp"

namespace shardsim::app {
namespace {

std::string html_text(const std::string& s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// JSON text safe inside <script type="application/json">: `<` only occurs inside strings, where
// \u003c means the same character.
std::string script_safe(const std::string& json_text) {
  std::string out;
  out.reserve(json_text.size());
  for (const char c : json_text) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

// Records every error and unhandled rejection: counted on <body data-js-errors> and listed.
constexpr std::string_view kErrorTrap = R"JS(
window.__reportErrors = [];
(function () {
  function show() {
    if (!document.body) return;
    document.body.setAttribute('data-js-errors', String(window.__reportErrors.length));
    var list = document.getElementById('js-errors');
    if (!list) return;
    list.hidden = window.__reportErrors.length === 0;
    list.textContent = '';
    window.__reportErrors.forEach(function (m) {
      var li = document.createElement('li');
      li.textContent = m;
      list.appendChild(li);
    });
  }
  window.__reportError = function (message) {
    window.__reportErrors.push(String(message));
    show();
  };
  window.onerror = function (message, source, line, column) {
    window.__reportError(message + ' (' + (source || '?') + ':' + line + ':' + column + ')');
    return false;
  };
  window.addEventListener('unhandledrejection', function (e) {
    window.__reportError('unhandled rejection: ' + (e.reason && e.reason.message ? e.reason.message : e.reason));
  });
  document.addEventListener('DOMContentLoaded', show);
})();
)JS";

std::string render(const std::string& title, const std::string& json_text) {
  std::string out;
  out.reserve(echarts_js().size() + json_text.size() + report_core_js().size() + report_run_js().size() + report_batch_js().size() + report_page_js().size() + 8192);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + html_text(title) + "</title>\n<script>";
  out += kErrorTrap;
  out += "</script>\n<style>\n";
  out += report_css();
  out += "</style>\n<script>\n";
  out += echarts_js();
  out += "\n</script>\n</head>\n<body data-js-errors=\"0\">\n";
  out += "<ul id=\"js-errors\" class=\"js-errors\" hidden></ul>\n<main id=\"report\"></main>\n";
  out += "<script type=\"application/json\" id=\"report-data\">";
  out += script_safe(json_text);
  out += "</script>\n<script>\n";
  for (const std::string_view part : {report_core_js(), report_run_js(), report_batch_js(), report_page_js()}) out += part;
  out += "\n</script>\n</body>\n</html>\n";
  return out;
}

template <class Json>
std::string render_any(const Json& data) {
  std::string title = "shardsim report";
  if (data.is_object() && data.contains("title") && data.at("title").is_string()) title = data.at("title").template get<std::string>();
  return render(title, data.dump(-1, ' ', false, Json::error_handler_t::replace));
}

}  // namespace

std::string render_report_html(const nlohmann::json& data) { return render_any(data); }
std::string render_report_html(const nlohmann::ordered_json& data) { return render_any(data); }

}  // namespace shardsim::app
