/// The report's HTML, as a mustache template compiled into the binary.
///
/// A Swift constant rather than a SwiftPM resource: `amana` is a single file that `make install` and packagers copy
/// alone, and a resource bundle left behind would break the report only on the machine where it matters
/// (spec/report.md section 11). The first line selects ``ReportHTMLEscaper`` for every `{{ }}`; triple mustaches are
/// used only for the style sheet, which Amana writes (bundle text in it is CSS-escaped, see ``ReportStyle``).
enum ReportTemplate {
    static let html = #"""
{{% CONTENT_TYPE: AMANA_HTML}}
<!DOCTYPE html>
<html lang="{{lang}}" dir="{{dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{generatedBy}}">
<title>{{t.documentTitle}}: {{bundle.id}}</title>
<style>{{{style}}}</style>
</head>
<body>
<header class="masthead">
<h1 id="heading">{{t.documentTitle}}</h1>
<p class="bundle-id"><bdi dir="ltr" class="mono">{{bundle.id}}</bdi></p>
</header>

<section id="verdict" class="verdict verdict-{{verdict.cssClass}}">
<h2 class="verdict-word">{{verdict.word}} <bdi dir="ltr" class="verdict-code">{{verdict.code}}</bdi></h2>
<p class="verdict-meaning">{{verdict.meaning}}</p>
<p class="verdict-counts">{{verdict.counts}}</p>
{{#hasProblems}}
<div class="problems">
<h3>{{t.problemsHeading}}</h3>
<ul>
{{#problems}}
<li class="problem status-{{status.code}}" data-code="{{code}}" data-subject="{{subject}}"><span class="badge status-{{status.code}}">{{status.word}}</span> {{about}} <bdi dir="ltr" class="mono">{{subject}}</bdi>: <bdi dir="ltr" class="mono">{{code}}</bdi>{{#expected}} <span class="ef">{{t.expected}} <bdi dir="ltr" class="mono">{{expected}}</bdi></span>{{/expected}}{{#found}} <span class="ef">{{t.found}} <bdi dir="ltr" class="mono">{{found}}</bdi></span>{{/found}}</li>
{{/problems}}
</ul>
</div>
{{/hasProblems}}
</section>

<section id="checked">
<h2>2. {{t.section_checked}}</h2>
<table class="facts">
<tr><th>{{t.input}}</th><td><bdi dir="ltr" class="mono">{{checked.input}}</bdi> ({{checked.kind}})</td></tr>
<tr><th>{{t.validationTime}}</th><td>{{#checked.validationTime}}<bdi dir="ltr" class="iso">{{iso}}</bdi>{{#long}} <span class="long">({{long}})</span>{{/long}}{{/checked.validationTime}}</td></tr>
<tr><th>{{t.tool}}</th><td><bdi dir="ltr">{{checked.tool}}</bdi></td></tr>
</table>
<h3>{{t.trustedKeys}}</h3>
{{#checked.noKeys}}<p class="note">{{t.noTrustedKeys}}</p>{{/checked.noKeys}}
{{#checked.keys}}
<table class="facts key" data-key-id="{{keyId}}">
<tr><th>{{t.keyId}}</th><td><bdi dir="ltr" class="mono">{{keyId}}</bdi></td></tr>
{{#holder}}<tr><th>{{t.holder}}</th><td><bdi>{{holder}}</bdi></td></tr>{{/holder}}
{{#organization}}<tr><th>{{t.organization}}</th><td><bdi>{{organization}}</bdi></td></tr>{{/organization}}
{{#role}}<tr><th>{{t.role}}</th><td><bdi>{{role}}</bdi></td></tr>{{/role}}
{{#validity}}<tr><th>{{t.validity}}</th><td><bdi dir="ltr">{{validity}}</bdi></td></tr>{{/validity}}
<tr><th>{{t.source}}</th><td><bdi dir="ltr" class="mono">{{source}}</bdi></td></tr>
</table>
{{/checked.keys}}
<h3>{{t.tsaRoots}}</h3>
{{#checked.noRoots}}<p class="note">{{t.noTsaRoots}}</p>{{/checked.noRoots}}
{{#checked.rootStore}}<p><bdi>{{checked.rootStore}}</bdi></p>{{/checked.rootStore}}
{{#checked.roots}}
<table class="facts">
<tr><th>{{t.subject}}</th><td><bdi dir="ltr">{{subject}}</bdi></td></tr>
<tr><th>SHA-256</th><td>{{#sha256}}<bdi dir="ltr" class="digest">{{#groups}}<span>{{.}}</span>{{/groups}}</bdi>{{/sha256}}</td></tr>
<tr><th>{{t.notAfter}}</th><td>{{#notAfter}}<bdi dir="ltr" class="iso">{{iso}}</bdi>{{#long}} <span class="long">({{long}})</span>{{/long}}{{/notAfter}}</td></tr>
<tr><th>{{t.anchor}}</th><td>{{anchor}}</td></tr>
<tr><th>{{t.source}}</th><td><bdi dir="ltr" class="mono">{{source}}</bdi></td></tr>
</table>
{{/checked.roots}}
</section>

<section id="bundle">
<h2>3. {{t.section_bundle}}</h2>
<table class="facts">
<tr><th>{{t.bundleId}}</th><td><bdi dir="ltr" class="mono">{{bundle.id}}</bdi></td></tr>
{{#bundle.caseId}}<tr><th>{{t.caseId}}</th><td><bdi>{{bundle.caseId}}</bdi> <span class="claim">({{t.claimedNote}})</span></td></tr>{{/bundle.caseId}}
{{#bundle.title}}<tr><th>{{t.bundleTitle}}</th><td><bdi>{{bundle.title}}</bdi> <span class="claim">({{t.claimedNote}})</span></td></tr>{{/bundle.title}}
{{#bundle.payload}}<tr><th>{{t.payload}}</th><td>{{bundle.payload}}</td></tr>{{/bundle.payload}}
</table>
<h3>{{t.tagFiles}}</h3>
<table class="grid">
<thead><tr><th>{{t.path}}</th><th>{{t.size}}</th><th>SHA-256</th></tr></thead>
<tbody>
{{#bundle.tagFiles}}
<tr><td><bdi dir="ltr" class="mono">{{path}}</bdi></td><td class="num"><bdi dir="ltr">{{size}}</bdi></td><td>{{#sha256}}<bdi dir="ltr" class="digest">{{#groups}}<span>{{.}}</span>{{/groups}}</bdi>{{/sha256}}</td></tr>
{{/bundle.tagFiles}}
</tbody>
</table>
</section>

<section id="seals">
<h2>4. {{t.section_seals}}</h2>
{{#noSeals}}<p class="note">{{t.noSeals}}</p>{{/noSeals}}
{{#seals}}
<div class="card" id="{{anchor}}" data-seal="{{number}}">
<h3>{{t.seal}} <bdi dir="ltr">{{number}}</bdi> <span class="badge status-{{status.code}}">{{status.word}}</span></h3>
<table class="facts">
<tr><th>{{t.signer}}</th><td>{{#signer}}<bdi>{{signer}}</bdi>{{#signerSource}} <span class="claim">({{t.source}}: <bdi dir="ltr" class="mono">{{signerSource}}</bdi>)</span>{{/signerSource}}{{/signer}}{{#untrusted}}<span class="warn">{{t.signerUntrusted}}</span>{{/untrusted}}</td></tr>
<tr><th>{{t.keyId}}</th><td><bdi dir="ltr" class="mono">{{keyId}}</bdi></td></tr>
<tr><th>{{t.claimedTime}}</th><td>{{#claimedTime}}<bdi dir="ltr" class="iso">{{iso}}</bdi>{{#long}} <span class="long">({{long}})</span>{{/long}}{{/claimedTime}}</td></tr>
{{#custodyLength}}<tr><th>{{t.custodyLength}}</th><td><bdi dir="ltr">{{custodyLength}}</bdi></td></tr>{{/custodyLength}}
</table>
<h4>{{t.tokens}}</h4>
{{#noTokens}}<p class="note">{{t.noTokens}}</p>{{/noTokens}}
{{#tokens}}
<table class="facts token">
<tr><th>{{t.genTime}}</th><td>{{#genTime}}<bdi dir="ltr" class="iso">{{iso}}</bdi>{{#long}} <span class="long">({{long}})</span>{{/long}}{{/genTime}} <span class="badge status-{{status.code}}">{{status.word}}</span></td></tr>
{{#tsa}}<tr><th>{{t.tsa}}</th><td><bdi dir="ltr">{{tsa}}</bdi></td></tr>{{/tsa}}
<tr><th>{{t.tokenTrusted}}</th><td>{{trusted}}{{#root}} (<bdi dir="ltr">{{root}}</bdi>){{/root}}</td></tr>
<tr><th>{{t.qualified}}</th><td>{{qualified}}</td></tr>
<tr><th>{{t.qcCompliance}}</th><td>{{qcCompliance}}</td></tr>
{{#qcStatements}}<tr><th>{{t.qcStatements}}</th><td><bdi dir="ltr" class="mono">{{qcStatements}}</bdi></td></tr>{{/qcStatements}}
<tr><th>{{t.path}}</th><td><bdi dir="ltr" class="mono">{{file}}</bdi></td></tr>
</table>
<p class="note">{{t.noTrustedList}}</p>
{{/tokens}}
</div>
{{/seals}}
</section>

<section id="items">
<h2>5. {{t.section_items}}</h2>
<p class="note">{{t.thumbnailNote}}</p>
{{#noItems}}<p class="note">{{t.noItems}}</p>{{/noItems}}
{{#items}}
<div class="card item" id="{{anchor}}" data-path="{{path}}">
<h3><bdi dir="ltr" class="mono">{{path}}</bdi> <span class="badge status-{{status.code}}">{{status.word}}</span></h3>
<table class="grid">
<thead><tr><th>{{t.field}} ({{t.source}})</th><th>{{t.value}}</th></tr></thead>
<tbody>
{{#rows}}
<tr><th>{{label}}<span class="src">{{source}}</span></th><td>{{#value}}<bdi>{{value}}</bdi>{{/value}}{{#time}}<bdi dir="ltr" class="iso">{{iso}}</bdi>{{#long}} <span class="long">({{long}})</span>{{/long}}{{/time}}{{#digest}}<bdi dir="ltr" class="digest" data-algorithm="{{algorithm}}">{{#groups}}<span>{{.}}</span>{{/groups}}</bdi>{{/digest}}</td></tr>
{{/rows}}
</tbody>
</table>
<h4>{{t.captureMetadata}}</h4>
{{#noMetadata}}<p class="note">{{t.noMetadata}}</p>{{/noMetadata}}
{{^noMetadata}}
<p class="note">{{t.metadataNote}}</p>
<table class="grid">
<tbody>
{{#metadata}}
<tr><th><bdi dir="ltr">{{label}}</bdi></th><td><bdi dir="ltr">{{value}}</bdi></td><td class="src"><bdi dir="ltr" class="mono">{{source}}</bdi></td></tr>
{{/metadata}}
</tbody>
</table>
{{#hasObservations}}<p>{{t.observations}}</p>
<ul class="observations">{{#observations}}<li><bdi dir="ltr">{{.}}</bdi></li>{{/observations}}</ul>{{/hasObservations}}
{{/noMetadata}}
</div>
{{/items}}
</section>

<section id="custody">
<h2>6. {{t.section_custody}}</h2>
{{#noCustody}}<p class="note">{{t.noCustody}}</p>{{/noCustody}}
<ol class="timeline">
{{#custody}}
<li class="event status-{{status.code}}" id="{{anchor}}" data-event="{{seq}}">
<div class="event-head"><span class="seq"><bdi dir="ltr">#{{seq}}</bdi></span> {{#time}}<bdi dir="ltr" class="iso">{{iso}}</bdi>{{#long}} <span class="long">({{long}})</span>{{/long}}{{/time}} <span class="badge status-{{status.code}}">{{status.word}}</span></div>
{{#malformed}}<p class="warn">{{t.malformed}}</p>{{/malformed}}
{{^malformed}}
<table class="facts">
<tr><th>{{t.action}}</th><td><bdi dir="ltr" class="mono">{{action}}</bdi></td></tr>
<tr><th>{{t.actor}}</th><td>{{#actor}}<bdi>{{actor}}</bdi> {{/actor}}<bdi dir="ltr" class="mono">{{keyId}}</bdi>{{#claimedActor}} <span class="claim">(<bdi>{{claimedActor}}</bdi>, {{t.claimedActor}})</span>{{/claimedActor}}</td></tr>
<tr><th>{{t.signatureValid}}</th><td>{{signatureValid}}</td></tr>
{{#countersigned}}<tr><th>{{t.countersignature}}</th><td>{{signatureValid}}</td></tr>{{/countersigned}}
<tr><th>{{t.coveredBySeal}}</th><td>{{seal}}</td></tr>
{{#details}}<tr><th><bdi dir="ltr">{{label}}</bdi></th><td><bdi dir="ltr" class="mono">{{value}}</bdi> <span class="claim">({{source}})</span></td></tr>{{/details}}
{{#items}}<tr><th>{{t.about_item}}</th><td><bdi dir="ltr" class="mono">{{.}}</bdi></td></tr>{{/items}}
</table>
{{/malformed}}
</li>
{{/custody}}
</ol>
{{#custodyOmitted}}<p class="note">{{custodyOmitted}}</p>{{/custodyOmitted}}
</section>

<section id="findings">
<h2>7. {{t.section_findings}}</h2>
<p class="note">{{t.findingsNote}}</p>
{{#groups}}
<h3><bdi dir="ltr" class="mono">{{name}}</bdi></h3>
<table class="grid findings">
<tbody>
{{#findings}}
<tr class="finding status-{{status.code}}" data-code="{{code}}" data-status="{{status.code}}"><td><span class="badge status-{{status.code}}">{{status.word}}</span></td><td><bdi dir="ltr" class="mono">{{code}}</bdi>{{#subject}}<br><bdi dir="ltr" class="mono subject">{{subject}}</bdi>{{/subject}}</td><td dir="ltr" class="message">{{message}}{{#expected}}<br>{{t.expected}}: <span class="mono">{{expected}}</span>{{/expected}}{{#found}}<br>{{t.found}}: <span class="mono">{{found}}</span>{{/found}}{{#omitted}}<br><em>{{omitted}}</em>{{/omitted}}</td></tr>
{{/findings}}
</tbody>
</table>
{{/groups}}
</section>

<section id="proves">
<h2>8. {{t.section_proves}}</h2>
<h3>{{t.provesHeading}}</h3>
<ul><li>{{t.proves_1}}</li><li>{{t.proves_2}}</li><li>{{t.proves_3}}</li></ul>
<h3>{{t.notProvesHeading}}</h3>
<ul><li>{{t.notProves_1}}</li><li>{{t.notProves_2}}</li><li>{{t.notProves_3}}</li><li>{{t.notProves_4}}</li></ul>
</section>

<section id="independent">
<h2>9. {{t.section_independent}}</h2>
<p>{{t.independentIntro}}</p>
<ol class="steps">
{{#steps}}
<li><p>{{label}}</p><pre dir="ltr">{{command}}</pre></li>
{{/steps}}
</ol>
</section>
<footer><p class="note">{{generatedBy}}</p></footer>
</body>
</html>
"""#
}
