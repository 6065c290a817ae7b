import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { rawRequest } from './support/http.js';
import { startApp, type RunningApp } from './support/server.js';

const basic = fileURLToPath(new URL('./fixtures/basic', import.meta.url));

/** Every chunk of a page as it came off the socket, decoded as the bytes arrive. */
async function chunksOf(origin: string, path: string): Promise<{ chunks: string[]; headers: IncomingHttpHeaders }> {
  const { chunks, headers } = await rawRequest(origin, path);
  const decoder = new StringDecoder('utf8');
  return { chunks: chunks.map((chunk) => decoder.write(chunk)), headers };
}

describe('streaming (SPEC §9)', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root: basic })));
  after(() => app.close());

  test('streaming — the first chunk of a large page holds </head> and the body follows in more chunks', async () => {
    const { chunks, headers } = await chunksOf(app.origin, '/big');
    assert.equal(headers['transfer-encoding'], 'chunked');
    const whole = chunks.join('');
    assert.ok(whole.length > 500_000, `a large page (${whole.length} characters)`);
    assert.ok(chunks[0]!.includes('</head><body>'), 'the head is in the first chunk');
    assert.ok(!chunks[0]!.includes('id="end"'), 'the end of the body is not in the first chunk');
    assert.ok(chunks.length > 3, `streamed in ${chunks.length} chunks`);
    assert.ok(whole.includes('<p id="end">end</p>'), 'the whole body arrived');
    assert.ok(whole.endsWith('</body></html>'), 'the document is closed');
  });

  test('streaming — chunks are coalesced, never one write per template part', async () => {
    const { chunks } = await chunksOf(app.origin, '/big');
    const whole = chunks.join('');
    // 20,000 rows are ~100,000 template parts; 16 KiB chunks make a few dozen writes.
    assert.ok(chunks.length < whole.length / 4096, `${chunks.length} chunks for ${whole.length} characters`);
  });
});
