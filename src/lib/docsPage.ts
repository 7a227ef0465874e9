// The API reference page at /docs: Swagger UI over /openapi.json, its script and styles served by the
// Worker's own static assets (wrangler.toml [assets], filled by scripts/docs-assets.mjs), so the page
// works without network.
export const DOCS_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>Billing, Accounting &amp; Invoicing API</title>
<link rel="stylesheet" href="/docs-assets/swagger-ui.css"/>
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script>
window.onload = () => {
	window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
};
</script>
</body>
</html>`;
