import { getPage } from './server.js';

/**
 * What a fixture's probe route reports: the JSON text of its
 * `<output id="probe">`. A fixture keeps what its routes observed in a
 * `_probe.ts` module (not a route) and shows it through such a route, so a
 * test reads it as a client would, in-process or across a CLI process,
 * and never imports fixture state.
 */
export async function readProbe<T>(url: string): Promise<T> {
  const page = await getPage(url);
  const json = page.$('output#probe').text();
  if (page.status !== 200 || json === '') throw new Error(`${url}: no probe report (status ${page.status})`);
  return JSON.parse(json) as T;
}
