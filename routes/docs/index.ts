// `/docs`: the help centre's front page. A static segment beats the catch-all next to it.
import { html } from 'lit';
import type { ServerData, ServerDataContext } from 'atoll-islands';
import { ARTICLES } from './_articles.js';

export function getServerData(): ServerData {
  return {
    markup: {
      title: 'Help centre · atoll books',
      meta: [{ name: 'description', content: 'Shipping, returns and gift cards at atoll books.' }],
    },
  };
}

export default function DocsIndex(_props: unknown, ctx: ServerDataContext) {
  return html`
    <h1>Help centre</h1>
    <p class="lead">Answers to the questions we hear most.</p>
    <ul class="article-list">
      ${ARTICLES.map(
        (article) => html`
          <li>
            <a href="${ctx.basePath}/docs/${article.path}">${article.title}</a>
            <code class="muted">/docs/${article.path}</code>
          </li>
        `,
      )}
    </ul>
  `;
}
