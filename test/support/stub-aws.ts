// A stand-in for an AWS service's endpoint on a loopback port: it answers each request with the next of
// the answers it was given (then 200 `{}`) and records what it received, for tests of the signed HTTP
// clients' retries, errors and signatures.
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll } from "vitest";

export type Answer = (response: http.ServerResponse) => void;

export interface Received {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export const stubAwsService = async (answers: Answer[]) => {
  const received: Received[] = [];
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
    (answers.shift() ?? answerWith(200, {}))(response);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  return { endpoint: `http://127.0.0.1:${port}`, received };
};

/** An answer with this status and body (JSON unless a string), as the content type says. */
export const answerWith =
  (status: number, body: unknown, type = "application/x-amz-json-1.0"): Answer =>
  (response) => {
    response.writeHead(status, { "Content-Type": type });
    response.end(typeof body === "string" ? body : JSON.stringify(body));
  };

/** The connection closes with no answer, as a lost one does. */
export const hangUp: Answer = (response) => response.socket?.destroy();

/** No answer at all: the connection stays open and silent. */
export const silence: Answer = () => undefined;
