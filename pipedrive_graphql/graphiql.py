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
  <script src="/static/graphql-ws.min.js"></script>
  <script>
    // Subscriptions go over graphql-transport-ws to the same path, through graphql-ws's client;
    // the headers tab's credential travels in connection_init (browsers cannot set WebSocket
    // headers). GraphiQL's own socket client retries a refusal (4403: credential refused) five
    // times over about 30 s with a spinner; a close code in 4400-4499 says retrying cannot help,
    // so the result pane shows it at once, with the server's reason ("CODE: message").
    const socketUrl =
      (location.protocol === "https:" ? "wss://" : "ws://") + location.host + location.pathname;
    const overHttp = GraphiQL.createFetcher({ url: location.pathname });
    function isCloseEvent(value) {
      return typeof value === "object" && value !== null && typeof value.code === "number"
        && "reason" in value;
    }
    function isRefusal(value) {
      return isCloseEvent(value) && value.code >= 4400 && value.code < 4500;
    }
    function closeErrors(event) {
      const found = /^([A-Z_]+): (.*)$/.exec(event.reason || "");
      const message = found ? found[2] : event.reason || "the connection closed";
      return [{
        message: `subscription socket closed (${event.code}): ${message}`,
        extensions: { code: found ? found[1] : "UPSTREAM_UNAVAILABLE", closeCode: event.code },
      }];
    }
    function isSubscription(documentAST, operationName) {
      return ((documentAST && documentAST.definitions) || []).some((definition) =>
        definition.kind === "OperationDefinition" && definition.operation === "subscription"
        && (definition.name ? definition.name.value : undefined) === (operationName || undefined));
    }
    function overSocket(params, headers) {
      return {
        subscribe(observer) {
          const client = graphqlWs.createClient({
            url: socketUrl,
            connectionParams: headers || {},
            shouldRetry: (event) => !isRefusal(event),
          });
          const stop = client.subscribe(params, {
            next: (value) => observer.next(value),
            error: (error) => observer.error(isCloseEvent(error) ? closeErrors(error) : error),
            complete: () => observer.complete(),
          });
          return { unsubscribe() { stop(); client.dispose(); } };
        },
      };
    }
    // The operations a document defines, by name (undefined: anonymous), read at the top level
    // of the text: strings, block strings, comments and argument lists are skipped.
    const BLOCK_QUOTES = '"'.repeat(3);  // a block string's delimiter
    function operationNames(text) {
      const names = [];
      let depth = 0, parens = 0, opened = false, i = 0;
      const word = /[_A-Za-z][_0-9A-Za-z]*/y;
      while (i < text.length) {
        const c = text[i];
        if (c === "#") {
          while (i < text.length && text[i] !== "\\n") { i++; }
        } else if (text.startsWith(BLOCK_QUOTES, i)) {
          const end = text.indexOf(BLOCK_QUOTES, i + 3);
          i = end < 0 ? text.length : end + 2;
        } else if (c === '"') {
          i++;
          while (i < text.length && text[i] !== '"' && text[i] !== "\\n") {
            i += text[i] === "\\\\" ? 2 : 1;
          }
        } else if (c === "(") { parens++; } else if (c === ")") { parens--; }
        else if (c === "{" && parens === 0) {
          if (depth === 0 && !opened) { names.push(undefined); }
          if (depth === 0) { opened = false; }
          depth++;
        } else if (c === "}" && parens === 0) { depth--; }
        else if (depth === 0 && parens === 0 && /[_A-Za-z]/.test(c)) {
          word.lastIndex = i;
          const keyword = word.exec(text)[0];
          i += keyword.length;
          if (["query", "mutation", "subscription", "fragment"].includes(keyword)) {
            opened = true;
            while (i < text.length && /[\\s,]/.test(text[i])) { i++; }
            word.lastIndex = i;
            const name = word.exec(text);
            if (keyword !== "fragment") { names.push(name ? name[0] : undefined); }
            if (name) { i += name[0].length; }
          }
          continue;
        }
        i++;
      }
      return names;
    }
    // GraphiQL names the operation to run a moment after an edit: a query pasted and run at
    // once went out with the name of the operation the editor held before (which the server
    // rightly refuses). A name the sent document does not define is replaced by its only
    // operation's; with several operations GraphiQL's choice is left to the server.
    function named(params) {
      const names = operationNames(params.query || "");
      if (params.operationName && !names.includes(params.operationName) && names.length === 1) {
        return { ...params, operationName: names[0] };
      }
      return params;
    }
    function fetcher(given, options) {
      const params = named(given);
      if (options && isSubscription(options.documentAST, params.operationName)) {
        return overSocket(params, options.headers);
      }
      return overHttp(params, options);
    }
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
