import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { getPage, startApp, type RunningApp } from './support/server.js';

const root = fileURLToPath(new URL('./fixtures/http-error', import.meta.url));

describe('thrown HttpError', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root })));
  after(() => app.close());

  const rows = [
    { status: 404, page: '#not-found', thrown: 'No such book.', shown: 'No such book.' },
    { status: 403, page: undefined, thrown: 'Not yours.', shown: 'Not yours.' },
    { status: 410, page: undefined, thrown: 'Gone for good.', shown: 'Gone for good.' },
    { status: 500, page: '#server-error', thrown: 'db password rejected', shown: 'Internal Server Error' },
    { status: 503, page: '#server-error', thrown: 'db password rejected', shown: 'Service Unavailable' },
  ];
  for (const row of rows) {
    test(`thrown HttpError — new HttpError(${row.status}) in getServerData answers ${row.status}`, async () => {
      const page = await getPage(`${app.origin}/throw?status=${row.status}&message=${encodeURIComponent(row.thrown)}`);
      assert.equal(page.status, row.status);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      if (row.page) assert.equal(page.$(row.page).text(), String(row.status), `${row.status} renders the app's error page`);
      else assert.equal(page.$('h1').text(), `${row.status} ${row.status === 403 ? 'Forbidden' : 'Gone'}`, 'other statuses get the built-in page');
      // A 4xx message is the author's to show; a 5xx shows only the status text (docs/server-data.md).
      assert.equal(page.$(row.page ? '#message' : 'main p').text(), row.shown);
      assert.doesNotMatch(page.text, /never rendered/);
    });
  }

  test('thrown HttpError — a 4xx is not logged as a route error; a 5xx is, naming the file', async () => {
    const before = app.logs.length;
    await getPage(`${app.origin}/throw?status=404`);
    await getPage(`${app.origin}/throw?status=502&message=upstream%20down`);
    const errors = app.logs.slice(before).filter((line) => line.level === 50);
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]!.msg), /^routes\/throw\.ts: upstream down$/);
  });

  test('thrown HttpError — a layout guard (403) stops the page below it', async () => {
    const page = await getPage(`${app.origin}/render-throws?guard`);
    assert.equal(page.status, 403);
    assert.equal(page.$('main p').text(), 'Members only.');
  });

  test('thrown HttpError — thrown while the page template renders, it answers its status', async () => {
    const page = await getPage(`${app.origin}/render-throws`);
    assert.equal(page.status, 410);
    assert.equal(page.$('main p').text(), 'This book was withdrawn.');
  });

  test('thrown HttpError — a status outside 400–599 is a 500', async () => {
    const page = await getPage(`${app.origin}/throw?status=302`);
    assert.equal(page.status, 500);
    assert.equal(page.$('#server-error').text(), '500');
  });
});
