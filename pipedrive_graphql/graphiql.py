"""The GraphiQL page, served with vendored assets so it works without internet access."""

from __future__ import annotations

GRAPHIQL_HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>pipedrive-graphql · GraphiQL</title>
  <link rel="icon" href="/favicon.ico" type="image/svg+xml">
  <link rel="stylesheet" href="/static/graphiql.min.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/static/react.production.min.js"></script>
  <script src="/static/react-dom.production.min.js"></script>
  <script src="/static/graphiql.min.js"></script>
  <script>
    // subscriptions go over graphql-transport-ws to the same path; the headers tab's
    // credential travels in connection_init (browsers cannot set WebSocket headers)
    const socketUrl = (location.protocol === "https:" ? "wss://" : "ws://") + location.host;
    const fetcher = GraphiQL.createFetcher({
      url: window.location.pathname,
      subscriptionUrl: socketUrl + window.location.pathname,
    });
    // ?query=...&variables=... opens GraphiQL on that operation (a shareable link).
    const params = new URLSearchParams(window.location.search);
    function keepInUrl(name) {
      return (value) => {
        if (value) { params.set(name, value); } else { params.delete(name); }
        history.replaceState(null, "", "?" + params.toString());
      };
    }
    const defaultQuery = `# Welcome to pipedrive-graphql. Try:
query Dashboard {
  deals(limit: 5) {
    results { id title value currency person { name organization { name } } stage { name } }
    hasMore
    nextStart
  }
}
`;
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultQuery,
        query: params.get("query") ?? undefined,
        variables: params.get("variables") ?? undefined,
        operationName: params.get("operationName") ?? undefined,
        onEditQuery: keepInUrl("query"),
        onEditVariables: keepInUrl("variables"),
        defaultEditorToolsVisibility: true,
      })
    );
  </script>
</body>
</html>
"""
