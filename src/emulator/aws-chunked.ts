/**
 * Decodes `Content-Encoding: aws-chunked` bodies, which the SDK sends for streamed uploads with a trailing
 * checksum (x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER) or signed chunks
 * (STREAMING-AWS4-HMAC-SHA256-PAYLOAD): `<hex size>[;chunk-signature=...]\r\n<data>\r\n ... 0\r\n<trailers>\r\n`.
 */
export interface DecodedChunks {
  body: Buffer;
  trailers: Record<string, string>;
}

export function decodeAwsChunked(raw: Buffer): DecodedChunks {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', pos);
    if (lineEnd < 0) throw new Error('aws-chunked: missing chunk header');
    const sizeText = raw.subarray(pos, lineEnd).toString('latin1').split(';')[0]?.trim() ?? '';
    const size = Number.parseInt(sizeText, 16);
    if (!Number.isFinite(size) || size < 0) throw new Error(`aws-chunked: bad chunk size "${sizeText}"`);
    pos = lineEnd + 2;
    if (size === 0) break;
    parts.push(raw.subarray(pos, pos + size));
    pos += size + 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of raw.subarray(pos).toString('latin1').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) trailers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { body: Buffer.concat(parts), trailers };
}
