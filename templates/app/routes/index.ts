// `/`: data from getServerData, rendered on the server; <click-counter hydrate>
// is an island: it ships JavaScript and becomes interactive in the browser.
import { html } from 'lit';
import type { PageProps, ServerDataContext } from '{{package}}';

export const ttl = '1m'; // Cache-Control: public, max-age=60

export async function getServerData({ locale }: ServerDataContext) {
  const greeting = locale.startsWith('fr') ? 'Bonjour' : 'Hello';
  return { props: { greeting, startAt: 0 }, markup: { title: `${greeting} from atoll` } };
}

// The props are inferred from getServerData: no second declaration.
export default ({ greeting, startAt }: PageProps<typeof getServerData>) => html`
  <h1>${greeting}!</h1>
  <p>This page was rendered on the server. The counter below is an island:</p>
  <click-counter hydrate count=${startAt}></click-counter>
  <p>Edit <code>routes/index.ts</code> or <code>islands/click-counter.ts</code> and save: the page reloads.</p>
`;
