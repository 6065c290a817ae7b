// The help centre's articles, keyed by their path under /docs.
export interface Article {
  path: string;
  title: string;
  paragraphs: readonly string[];
}

export const ARTICLES: readonly Article[] = [
  {
    path: 'getting-started',
    title: 'Getting started',
    paragraphs: [
      'Browse the shelves from the menu, or open All books to sort and filter the whole catalogue.',
      'Prices are in euros and formatted for your browser language (English, French or German).',
    ],
  },
  {
    path: 'orders/shipping',
    title: 'Shipping',
    paragraphs: [
      'Orders placed before 2 pm ship the same day. Delivery within the EU takes 2–5 working days.',
      'Shipping is free on orders over €40; below that it costs €3.90.',
    ],
  },
  {
    path: 'orders/returns',
    title: 'Returns',
    paragraphs: [
      'You can return any book within 30 days, unread or not. Tell us why if you like; you do not have to.',
      'Refunds reach your card within 5 working days of the parcel arriving back at the shop.',
    ],
  },
  {
    path: 'orders/returns/damaged-items',
    title: 'Damaged items',
    paragraphs: [
      'A bent corner is character; a soaked parcel is not. Send us a photo & we will send a new copy straight away.',
      'You do not need to return the damaged book: pass it on to a friend or a little free library.',
    ],
  },
  {
    path: 'account/gift-cards',
    title: 'Gift cards',
    paragraphs: [
      'Gift cards never expire and can be spent on anything in the shop, across as many orders as you like.',
    ],
  },
];

export function findArticle(path: string): Article | undefined {
  return ARTICLES.find((article) => article.path === path);
}

/** The articles below `path` (for /docs/orders: shipping, returns, damaged items). */
export function articlesUnder(path: string): Article[] {
  return ARTICLES.filter((article) => article.path.startsWith(`${path}/`));
}

/** The title of an article, or of a section named after its last segment ('orders' → 'Orders'). */
export function titleOf(path: string): string {
  const article = findArticle(path);
  if (article) return article.title;
  const last = path.split('/').pop() ?? path;
  return last.charAt(0).toUpperCase() + last.slice(1).replace(/-/g, ' ');
}
