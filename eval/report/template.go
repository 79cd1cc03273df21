package report

import "html/template"

// PageCSS is the stylesheet of vigil's HTML reports (runs and sweeps).
const PageCSS = `body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; max-width: 1000px; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.6em; border-bottom: 2px solid #ccc; padding-bottom: .3em; }
h2 { font-size: 1.25em; margin-top: 2em; }
table { border-collapse: collapse; margin: .8em 0; font-size: .92em; }
th, td { border: 1px solid #ccc; padding: .3em .7em; text-align: left; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.first td { border-top: 2px solid #999; }
table.info th { background: none; font-weight: 600; }
p.note { color: #555; font-size: .92em; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { color: #555; font-size: .9em; }
`

// pageTemplate renders a view as a self-contained page: inline CSS, no
// scripts, images by relative path.
var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
` + PageCSS + `</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{- if .Info}}
<table class="info">
{{- range .Info}}
<tr><th>{{.Key}}</th><td>{{.Value}}</td></tr>
{{- end}}
</table>
{{- end}}
{{- range .Notes}}
<p class="note">{{.}}</p>
{{- end}}
{{- if .Summary}}
<h2>Area under the ROC curve</h2>
<table>
<tr><th>System</th><th>AUC</th><th>Masquerade blocks</th><th>Normal blocks</th></tr>
{{- range .Summary}}
<tr><td>{{.System}}</td><td class="num">{{.AUC}}</td><td class="num">{{.Positives}}</td><td class="num">{{.Negatives}}</td></tr>
{{- end}}
</table>
{{- end}}
{{- range .Groups}}
{{- if .Rows}}
<h2>{{.Mode}}</h2>
<table>
<tr><th>Target false alarms</th><th>System</th><th>Hit rate</th><th>False-alarm rate</th><th>Cost (miss% + 6 &#215; FA%)</th></tr>
{{- range .Rows}}
<tr{{if .First}} class="first"{{end}}><td class="num">{{.Target}}</td><td>{{.System}}</td><td class="num">{{.Hit}}</td><td class="num">{{.FA}}</td><td class="num">{{.Cost}}</td></tr>
{{- end}}
</table>
{{- end}}
{{- end}}
{{- if .Anchors}}
<h2>Published results</h2>
<table>
<tr><th>Detector</th><th>Source</th><th>Updating</th><th>Hit rate</th><th>False-alarm rate</th><th>Cost</th></tr>
{{- range .Anchors}}
<tr><td>{{.Name}}</td><td>{{.Source}}</td><td>{{.Updating}}</td><td class="num">{{.Hit}}</td><td class="num">{{.FA}}</td><td class="num">{{.Cost}}</td></tr>
{{- end}}
</table>
{{- end}}
{{- range .Images}}
<figure>
<img src="{{.File}}" alt="{{.Title}}">
<figcaption>{{if .Title}}<strong>{{.Title}}</strong>{{end}}{{if and .Title .Caption}}. {{end}}{{.Caption}}</figcaption>
</figure>
{{- end}}
{{- range .Tables}}
{{- with .Title}}
<h2>{{.}}</h2>
{{- end}}
<table>
<tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr>
{{- range .Rows}}
<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{- end}}
</table>
{{- end}}
</body>
</html>
`))
