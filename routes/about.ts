// `/about`: a static page. getServerData only sets the head and a long TTL.
import { html } from 'lit';
import type { ServerData, ServerDataContext } from 'atoll-islands';

export function getServerData(): ServerData {
  return {
    markup: {
      title: 'About atoll books',
      meta: [{ name: 'description', content: 'What atoll is and how this example bookshop is built.' }],
    },
    cache: { ttl: '1h' },
  };
}

const layoutSample = `export default (content, props, ctx) => html\`
  <header>…</header>
  <main>\${content}</main>\`;`;

export default function About(_props: unknown, ctx: ServerDataContext) {
  return html`
    <article class="prose">
      <h1>About</h1>
      <p>
        <strong>atoll</strong> is a small server-side islands framework for
        <a href="https://koajs.com/">Koa</a>. Pages are <a href="https://lit.dev/">Lit</a> templates rendered on
        the server and streamed to the browser; the few parts that need to be interactive ("islands") hydrate from
        plain ES modules, with no bundler and no build step.
      </p>
      <p>This bookshop is the example app. Each feature has a page that shows it:</p>
      <ul>
        <li><a href="${ctx.basePath}/">Home</a>: data from the cross-request cache and a route-level <code>ttl</code>.</li>
        <li><a href="${ctx.basePath}/categories/fiction">A category</a>: a dynamic segment, a 404 for unknown slugs, inline styles from <code>markup.styles</code>.</li>
        <li><a href="${ctx.basePath}/books/streaming-html">A book</a>: Open Graph meta and <code>ld+json</code> structured data.</li>
        <li><a href="${ctx.basePath}/basket">The basket</a>: a form that posts to a handler (<code>POST</code>), a cookie, and a 303 back; the book page's island sends the same form with <code>fetch</code>.</li>
        <li><a href="${ctx.basePath}/newsletter">The newsletter</a>: a form whose bad address re-renders the page with the error (<code>{ page, status: 422 }</code>).</li>
        <li><a href="${ctx.basePath}/api/books">/api/books</a>: a JSON API route (<code>GET</code> with no page), and <a href="${ctx.basePath}/api/books/streaming-html">one book</a> by id.</li>
        <li><a href="${ctx.basePath}/books?sort=year&amp;author=Priya%20Raman&amp;author=L%C3%A9a%20Moreau">All books</a>: query strings with repeated keys.</li>
        <li><a href="${ctx.basePath}/old-books">/old-books</a>: a permanent redirect.</li>
        <li><a href="${ctx.basePath}/docs/orders/returns">Help centre</a>: a catch-all route and a nested layout.</li>
        <li><a href="${ctx.basePath}/slow?delay=8000">A slow page</a>: <code>SSR_TIMEOUT</code> and <code>ctx.signal</code>.</li>
        <li><a href="${ctx.basePath}/no-such-page">A missing page</a>: the custom 404 page.</li>
      </ul>
      <p>A layout is a function of the page content:</p>
      <pre><code>${layoutSample}</code></pre>
    </article>
  `;
}
