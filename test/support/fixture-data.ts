// Constant data that a fixture serves and its test expects, imported by both:
// data, never state. What a fixture observes at run time reaches a test only
// through a response or a log line (probe.ts).

/** Head values that try to break out of their element (fixtures/basic/routes/head.ts). */
export const hostileHead = {
  title: '</title><script>alert("title")</script>',
  meta: '"><img src=x onerror=alert(1)>',
  href: '/x.css" onload="alert(1)',
  ld: { '@type': 'Book', name: '</script><script>alert("ld")</script>', comment: '<!-- x', line: 'a\u2028b\u2029c' },
  style: 'body { color: red } </style><script>alert("style")</script>',
};

const shared = { name: 'shared object' };

/** Props of every type devalue carries, given to <x-props> (fixtures/islands/routes/props.ts). */
export const propsData = {
  date: new Date('2024-02-29T12:34:56.789Z'),
  map: new Map<string, unknown>([['a', 1], ['b', { deep: true }]]),
  set: new Set([1, 'two', 3]),
  big: 12345678901234567890n,
  undef: undefined,
  nan: NaN,
  inf: Infinity,
  ninf: -Infinity,
  negzero: -0,
  text: '</script><script>alert(1)</script><!-- \u2028 \u2029 "quotes" & amp',
  nested: { list: [1, 2, { three: 3 }], nil: null },
  first: shared,
  second: shared,
};
