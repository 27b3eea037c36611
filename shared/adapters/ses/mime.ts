// The raw mail SES sends (RFC 5322 / MIME): a UTF-8 text part, and for signed mail the S/MIME
// multipart/signed entity (RFC 8551) around it. Everything is 7-bit with CRLF line ends, so no relay
// re-encodes the signed part and breaks its signature.
import { randomUUID } from "node:crypto";

const crlf = "\r\n";

/** Base64 in lines of 76 characters, as MIME requires. */
const base64Lines = (data: Uint8Array | string): string =>
  (
    Buffer.from(data)
      .toString("base64")
      .match(/.{1,76}/g) ?? []
  ).join(crlf);

/** One header value as RFC 2047 encoded-words where it is not plain ASCII, folded to short lines. */
const encodeHeaderValue = (value: string): string => {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  // At most 39 bytes per encoded-word (52 in base64, 64 with its wrapper), never a split character: with
  // a header name before it, each line stays within RFC 2047's 76 characters.
  const words: string[] = [];
  let chunk = "";
  for (const character of value) {
    if (Buffer.byteLength(chunk + character, "utf8") > 39) {
      words.push(chunk);
      chunk = "";
    }
    chunk += character;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, "utf8").toString("base64")}?=`).join(`${crlf} `);
};

/** `"Display name" <address>`, the name encoded when it is not ASCII. */
export const mailbox = (address: string, name?: string): string =>
  name ? `${encodeHeaderValue(name)}${crlf} <${address}>` : address;

/** RFC 5322 date in UTC, e.g. `Mon, 05 Jan 2026 00:00:00 +0000`. */
const rfc5322Date = (epochMs: number): string => new Date(epochMs).toUTCString().replace("GMT", "+0000");

/**
 * The text body as a MIME entity: its headers, a blank line, base64 lines. This is the exact byte
 * sequence an S/MIME signature covers.
 */
export const textEntity = (text: string): string =>
  [
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(text.replace(/\r?\n/g, crlf)),
  ].join(crlf);

/** multipart/signed: the signed entity unchanged, then the detached PKCS#7 signature (smime.p7s). */
export const signedEntity = (signed: string, signatureDer: Uint8Array, boundary = newBoundary()): string =>
  [
    `Content-Type: multipart/signed; protocol="application/pkcs7-signature";${crlf} micalg=sha-256;${crlf} boundary="${boundary}"`,
    "",
    "This is an S/MIME signed message.",
    "",
    `--${boundary}`,
    signed,
    `--${boundary}`,
    'Content-Type: application/pkcs7-signature; name="smime.p7s"',
    "Content-Transfer-Encoding: base64",
    'Content-Disposition: attachment; filename="smime.p7s"',
    "Content-Description: S/MIME Cryptographic Signature",
    "",
    base64Lines(signatureDer),
    `--${boundary}--`,
    "",
  ].join(crlf);

const newBoundary = (): string => `=_corporate-ib_${randomUUID()}`;

export interface MessageHeaders {
  readonly from: string;
  readonly fromName?: string;
  readonly to: string;
  readonly subject: string;
  readonly date: number;
  /** The Message-ID's right-hand side: the sender's domain. */
  readonly messageIdDomain: string;
}

/** The whole message: the envelope headers, then the entity (its own Content-* headers, blank line, body). */
export const composeMessage = (headers: MessageHeaders, entity: string): string =>
  [
    `From: ${mailbox(headers.from, headers.fromName)}`,
    `To: ${headers.to}`,
    `Subject: ${encodeHeaderValue(headers.subject)}`,
    `Date: ${rfc5322Date(headers.date)}`,
    `Message-ID: <${randomUUID()}@${headers.messageIdDomain}>`,
    "MIME-Version: 1.0",
    // Tells mail systems not to answer it automatically (RFC 3834).
    "Auto-Submitted: auto-generated",
    entity.endsWith(crlf) ? entity : `${entity}${crlf}`,
  ].join(crlf);
