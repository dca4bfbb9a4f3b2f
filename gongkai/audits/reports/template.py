"""The HTML report's template, kept in Python so that it ships inside the package wherever it is installed."""

TEMPLATE = r"""<!doctype html>
<html lang="zh-Hant-TW">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title_zh }}：{{ view.site }}（{{ view.started[:10] }}）</title>
<style>
body { font-family: "Noto Sans TC", "Microsoft JhengHei", sans-serif; font-size: 1rem; line-height: 1.6; color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 75rem; margin: 0 auto; padding: 1rem; }
a { color: #0645ad; } a:focus { outline: 0.2rem solid #b35900; outline-offset: 0.1rem; }
.skip-link { position: absolute; left: -100rem; } .skip-link:focus { left: 1rem; top: 1rem; background: #fff; padding: 0.5rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { border: 0.0625rem solid #767676; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eef2f7; }
.scroll { overflow-x: auto; }
.new { color: #8a1c1c; font-weight: bold; } .still { color: #5c4400; } .fixed { color: #1d5e20; }
.broken { color: #8a1c1c; font-weight: bold; }
code { font-size: 0.875rem; overflow-wrap: anywhere; }
.trend { width: 100%; max-width: 37.5rem; height: auto; }
.trend .bar { fill: #1f5fa8; } .trend .axis { stroke: #1a1a1a; } .trend text { fill: #1a1a1a; font-size: 0.8rem; }
.summary td, .summary th { width: auto; }
</style>
</head>
<body>
<a class="skip-link" href="#main">跳到主要內容 Skip to main content</a>
<main id="main">
<h1>{{ title_zh }} <span lang="en">{{ title_en }}</span></h1>
<p>網站 Site：<a href="{{ view.site }}">{{ view.site }}</a>；檢查時間 Run at：{{ view.started }}；第 {{ view.run_id }} 次。
{% if view.previous_run %}與第 {{ view.previous_run }} 次比較 (compared with run {{ view.previous_run }}).{% else %}這是第一次檢查 (first run: everything is new).{% endif %}
{% if view.note %}<br>{{ view.note }}{% endif %}</p>

<h2>摘要 Summary</h2>
<table class="summary">
<caption>本次結果 Results of this run</caption>
<tbody>
<tr><th scope="row">已檢查 Checked</th><td>{{ view.checked }}</td></tr>
<tr><th scope="row">失效（必須修正）Broken</th><td>{{ view.broken|length }}</td></tr>
<tr><th scope="row">警告 Warnings</th><td>{{ view.warnings|length }}</td></tr>
<tr><th scope="row">新發現 New since last run</th><td>{{ view.count("new") }}</td></tr>
<tr><th scope="row">仍存在 Still there</th><td>{{ view.count("still") }}</td></tr>
<tr><th scope="row">已修正 Fixed since last run</th><td>{{ view.fixed|length }}</td></tr>
</tbody>
</table>

<h2>每月趨勢 Trend</h2>
{% if view.trend %}
{{ chart }}
<table>
<caption>每月失效數 Broken per month</caption>
<thead><tr><th scope="col">月份 Month</th><th scope="col">失效數 Broken</th></tr></thead>
<tbody>{% for month, count in view.trend %}<tr><td>{{ month }}</td><td>{{ count }}</td></tr>{% endfor %}</tbody>
</table>
{% else %}<p>尚無歷史資料 No history yet.</p>{% endif %}

<h2>必須修正 Must fix</h2>
{% if view.broken %}
<div class="scroll" role="region" aria-label="必須修正 Must fix" tabindex="0">
<table>
<caption>{{ view.broken|length }} 個失效 broken — 依單位與網頁的細節見下節 (details by unit and page below)</caption>
<thead><tr><th scope="col">變化 Change</th><th scope="col">對象 Target</th><th scope="col">問題 What is wrong</th><th scope="col">建議 Suggested fix</th><th scope="col">所在網頁 On pages</th></tr></thead>
<tbody>
{% for row in view.broken %}{% set f = row.finding %}
<tr><td class="{{ row.change }}">{{ "新 new" if row.change == "new" else "仍 still" }}</td>
<td><code>{{ f.target }}</code>{% if f.selector %}<br><code>{{ f.selector }}</code>{% endif %}</td><td>{{ f.message }}</td><td>{{ f.fix }}</td>
<td>{{ f.pages[:5]|join("、") }}{% if f.pages|length > 5 %} …（共 {{ f.pages|length }} 頁 pages）{% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
</div>
{% else %}<p class="fixed">沒有失效項目 Nothing broken.</p>{% endif %}

<h2>依單位與網頁 By owner unit and page</h2>
{% if not view.groups %}<p>沒有發現問題 Nothing found.</p>{% endif %}
{% for unit, pages in view.groups.items() %}
<h3>{{ unit }}</h3>
{% for page, rows in pages.items() %}
<h4>{% if page.startswith("http") %}<a href="{{ page }}">{{ page }}</a>{% else %}{{ page }}{% endif %}</h4>
<div class="scroll" role="region" aria-label="{{ page }}" tabindex="0">
<table>
<caption>{{ rows|length }} 個問題 problem(s) on {{ page }}</caption>
<thead><tr><th scope="col">變化 Change</th><th scope="col">結果 Result</th><th scope="col">對象 Target</th>
{% if view.audit == "a11y" %}<th scope="col">元素 Element</th><th scope="col">準則 Criterion</th>{% endif %}
<th scope="col">問題 What is wrong</th><th scope="col">建議 Suggested fix</th><th scope="col">首次發現 First seen</th><th scope="col">連續次數 Runs in a row</th></tr></thead>
<tbody>
{% for row in rows %}{% set f = row.finding %}
<tr>
<td class="{{ row.change }}">{{ "新 new" if row.change == "new" else "仍 still" }}</td>
<td{% if f.broken %} class="broken"{% endif %}>{{ "失效 broken" if f.broken else row.kind }}</td>
<td>{% if f.target.startswith("http") %}<a href="{{ f.target }}">{{ f.target }}</a>{% else %}<code>{{ f.target }}</code>{% endif %}</td>
{% if view.audit == "a11y" %}<td>{% if f.selector %}<code>{{ f.selector }}</code>{% endif %}{% if f.excerpt %}<br><code>{{ f.excerpt }}</code>{% endif %}</td>
<td>{{ f.criterion }}{% if f.freego %}<br>Freego {{ f.freego }}{% endif %}</td>{% endif %}
<td>{{ f.message }}</td><td>{{ f.fix }}</td><td>{{ row.first_seen[:10] }}</td><td>{{ row.consecutive_failures }}</td>
</tr>
{% endfor %}
</tbody>
</table>
</div>
{% endfor %}
{% endfor %}

<h2>已修正 Fixed since the previous run</h2>
{% if view.fixed %}
<div class="scroll" role="region" aria-label="已修正 Fixed" tabindex="0">
<table>
<caption>{{ view.fixed|length }} 個已修正 fixed</caption>
<thead><tr><th scope="col">對象 Target</th><th scope="col">原本的問題 Was</th><th scope="col">所在網頁 Pages</th></tr></thead>
<tbody>{% for f in view.fixed %}<tr><td><code>{{ f.target }}</code></td><td>{{ f.message }}</td><td>{{ f.pages|join("、") }}</td></tr>{% endfor %}</tbody>
</table>
</div>
{% else %}<p class="fixed">自上次以來沒有修正項目 Nothing fixed since the previous run.</p>{% endif %}
</main>
</body>
</html>
"""
