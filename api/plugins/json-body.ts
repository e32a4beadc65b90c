// JSON bodies read as bytes and decoded here: Node's utf8 decoder takes seconds on a body of
// hundreds of MB (a network's weights as base64), while a body that is all ASCII — as every
// such body is — is the same text read as latin1, a plain copy. Parsing stays Fastify's own
// (its proto-poisoning checks, its 400 for bad JSON); the body limit (413) applies as before.
import { isAscii } from 'node:buffer';
import type { FastifyInstance } from 'fastify';

export function installJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) =>
    parse(request, isAscii(body) ? body.toString('latin1') : body.toString('utf8'), done),
  );
}
