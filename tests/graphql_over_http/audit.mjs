// Runs the graphql-http package's server audits against the URL given as the only argument and
// prints one JSON array: {id, name, status, reason} per audit.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
const results = await auditServer({ url });
const summary = results.map((result) => ({
  id: result.id,
  name: result.name,
  status: result.status,
  reason: result.status === 'ok' ? null : result.reason,
}));
process.stdout.write(JSON.stringify(summary));
