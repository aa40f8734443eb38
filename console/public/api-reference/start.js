// Starts Swagger UI on the API reference page (/api/docs). A file of its own
// rather than an inline script, so the page's policy can say script-src 'self'.
const root = document.getElementById("api-reference");
window.ui = window.SwaggerUIBundle({
  url: root.dataset.specUrl,
  domNode: root,
  deepLinking: true,
  // The public validator badge would load an image from another origin.
  validatorUrl: null,
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  tryItOutEnabled: false,
  displayRequestDuration: true,
  filter: true,
});
