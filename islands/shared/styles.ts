// Styles shared by the bookshop's islands. Page styles (public/styles.css) do
// not reach into shadow roots, but custom properties and fonts inherit, so
// these rules repeat the page's button look on top of its --accent, --border…
// This folder is not an island: only files at the top of islands/ are.
import { css } from 'lit';

/** The page's `button` / `.button.secondary` look, inside a shadow root. */
export const buttonStyles = css`
  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    background: var(--accent, #0f5e6e);
    color: white;
    border: 0;
    border-radius: 999px;
    padding: 0.6rem 1.2rem;
    font: inherit;
    font-weight: 600;
    line-height: 1.2;
    cursor: pointer;
    -webkit-tap-highlight-color: transparent;
  }

  button:hover {
    filter: brightness(1.1);
  }

  button:disabled {
    cursor: not-allowed;
    opacity: 0.4;
    filter: none;
  }

  button.secondary {
    background: transparent;
    color: var(--accent, #0f5e6e);
    box-shadow: inset 0 0 0 2px currentColor;
  }

  @media (prefers-color-scheme: dark) {
    button.secondary {
      color: color-mix(in srgb, var(--accent, #0f5e6e) 45%, white);
    }
  }

  :focus-visible {
    outline: 3px solid color-mix(in srgb, var(--accent, #0f5e6e) 60%, transparent);
    outline-offset: 2px;
  }
`;

/** `.visually-hidden`: read by screen readers, not shown. */
export const visuallyHidden = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
