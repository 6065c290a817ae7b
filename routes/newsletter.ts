// `/newsletter`: the sign-up form on a page of its own, and its POST. The
// form on the home page posts here too. With JavaScript off: a bad address
// re-renders this page with the error (422), a good one redirects (303) to
// `/newsletter?subscribed=1`. The <newsletter-signup> island sends the same
// form with fetch and shows the answer in place.
import { html } from 'lit';
import type { ActionContext, FormFields, ServerDataContext } from 'atoll-islands';
import { firstQueryValue, wantsJson, type LayoutProps } from './_catalogue.js';
import { addressProblem, subscribe } from './_newsletter.js';
import { breadcrumbs } from './_ui.js';

export const ttl = '1h';

export function getServerData(ctx: ServerDataContext) {
  return {
    props: { subscribed: firstQueryValue(ctx.query.subscribed) === '1' },
    markup: { title: 'The monthly letter · atoll books', meta: [{ name: 'description', content: 'One email a month from atoll books.' }] },
  };
}

interface NewsletterProps extends LayoutProps {
  subscribed: boolean;
  /** From a POST with a bad address: what was typed, and why it will not do. */
  email?: string;
  error?: string;
}

export default function NewsletterPage({ subscribed, email, error }: NewsletterProps, ctx: ServerDataContext) {
  return html`
    ${breadcrumbs([{ label: 'Home', href: `${ctx.basePath}/` }, { label: 'Newsletter' }])}
    <section class="newsletter">
      <h1>The monthly letter</h1>
      <p class="muted">One email a month: new arrivals, staff picks, no tracking.</p>
      <newsletter-signup
        hydrate="interaction"
        action="${ctx.basePath}/newsletter"
        email=${email ?? ''}
        error=${error ?? ''}
        ?subscribed=${subscribed}
      ></newsletter-signup>
    </section>
  `;
}

export function POST(ctx: ActionContext<FormFields | undefined>) {
  const value = ctx.body?.email;
  const email = (Array.isArray(value) ? value[0] : value ?? '').trim();
  const error = addressProblem(email);
  if (error) return wantsJson(ctx) ? { json: { error }, status: 422 } : { page: { email, error }, status: 422 };
  subscribe(email);
  return wantsJson(ctx) ? { json: { subscribed: true } } : { redirect: `${ctx.basePath}/newsletter?subscribed=1` };
}
