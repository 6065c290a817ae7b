// `/slow`: a getServerData that waits on a (pretend) slow backend.
// /slow answers quickly; /slow?delay=8000 outlasts the default SSR_TIMEOUT
// (5000 ms): the framework aborts ctx.signal, the timer below stops at once,
// and the response is the 500 page.
import { setTimeout as sleep } from 'node:timers/promises';
import { html } from 'lit';
import type { ServerData, ServerDataContext } from 'atoll-islands';
import { firstQueryValue } from './_catalogue.js';

// Its point is the server's timeout: `atoll build` leaves it out (docs/static-build.md).
export const prerender = false;

const DEFAULT_DELAY_MS = 100;
const MAX_DELAY_MS = 60_000;

interface SlowProps {
  delay: number;
  waited: number;
}

export async function getServerData(ctx: ServerDataContext): Promise<ServerData<SlowProps>> {
  const requested = Number.parseInt(firstQueryValue(ctx.query.delay) ?? '', 10);
  const delay = Number.isFinite(requested) ? Math.min(Math.max(requested, 0), MAX_DELAY_MS) : DEFAULT_DELAY_MS;

  const started = performance.now();
  // Rejects with an AbortError as soon as the request times out or the client
  // goes away, so no timer outlives its request.
  await sleep(delay, undefined, { signal: ctx.signal });

  return {
    props: { delay, waited: Math.round(performance.now() - started) },
    markup: { title: 'A slow page · atoll books' },
    // No cache: every request waits again.
  };
}

export default function Slow(props: SlowProps, ctx: ServerDataContext) {
  return html`
    <article class="prose">
      <h1>A slow page</h1>
      <p>getServerData asked for ${props.delay} ms and waited ${props.waited} ms before rendering.</p>
      <p>
        The framework bounds getServerData plus rendering with <code>SSR_TIMEOUT</code> (5000 ms by default). Past it,
        <code>ctx.signal</code> aborts, the wait stops, and you get the error page instead of a hung request.
      </p>
      <ul>
        <li><a href="${ctx.basePath}/slow?delay=1000">Wait 1 second</a>: renders.</li>
        <li><a href="${ctx.basePath}/slow?delay=4000">Wait 4 seconds</a>: renders, just in time.</li>
        <li><a href="${ctx.basePath}/slow?delay=8000">Wait 8 seconds</a>: times out after 5 seconds with a 500.</li>
      </ul>
    </article>
  `;
}
