// Wraps every page in this folder and below (docs/routes.md, "Layouts").
import { html } from 'lit';
import type { ServerDataContext } from '{{package}}';

export function getServerData({ basePath }: ServerDataContext) {
  return {
    markup: {
      title: '{{name}}', // a page's own title wins
      links: [{ rel: 'stylesheet', href: `${basePath}/styles.css` }],
    },
  };
}

export default (content: unknown, _props: unknown, { basePath }: ServerDataContext) => html`
  <header><a href="${basePath}/">{{name}}</a></header>
  <main>${content}</main>
  <footer>Made with atoll</footer>
`;
