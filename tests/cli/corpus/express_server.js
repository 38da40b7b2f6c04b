// One expressjs/cors configuration per process: node express_server.js VARIANT PORT TRUSTED
// correct: the README's configuration (an origin list, credentials); the others, the usual mistakes.
const express = require("express");
const cors = require("cors");

const [variant, port, trusted] = process.argv.slice(2);
const origins = {
  correct: [trusted],
  "origin-true": true,
  "regex-unanchored": /app\.example\.com$/,
};
const options = { origin: origins[variant], credentials: true };
const app = express();
app.options("/api/items", cors(options));
app.all("/api/items", cors(options), (req, res) => res.json({ items: [1, 2, 3] }));
const server = app.listen(Number(port), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
