// The SPARQL page's editor: YASGUI (served from this site, see scripts/install-yasgui.sh) over this
// site's endpoint, each example query a tab, govkg's prefixes preloaded, and only the
// autocompleters that call no outside service (variables, and prefixes from YASGUI's bundled list;
// not "property" and "class", which ask the LOV service). Without JavaScript, or where YASGUI is
// not installed, the plain form of the page stays as it is.
document.addEventListener("DOMContentLoaded", () => {
  const host = document.getElementById("editor");
  if (!host || typeof Yasgui === "undefined") return;
  const form = document.querySelector("form.sparql");
  const prefixes = JSON.parse(host.dataset.prefixes || "{}");
  const examples = JSON.parse(host.dataset.examples || "[]");
  const header = Object.entries(prefixes).map(([p, ns]) => `PREFIX ${p}: <${ns}>`).join("\n");
  const endpoint = new URL(host.dataset.endpoint, document.baseURI).href;
  const asked = form ? form.querySelector("textarea").value.trim() : "";
  host.hidden = false; // before YASGUI starts: its editor measures the room it has
  if (form) form.hidden = true;
  Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  Yasgui.Yasqe.defaults.prefixCcApi = null;
  const yasgui = new Yasgui(host, {
    requestConfig: { endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint }], keys: [] },
    persistenceId: null,
    populateFromUrl: false,
    autofocus: false,
    yasqe: { value: asked || `${header}\n\nSELECT * WHERE {\n  ?s ?p ?o\n} LIMIT 10\n`, autocompleters: ["variables", "prefixes"] },
  });
  const first = yasgui.getTab();
  if (first) first.setName(host.dataset.first || "Query");
  for (const example of examples) {
    yasgui.addTab(false, { name: example.title, yasqe: { value: example.query }, requestConfig: { endpoint } });
  }
});
