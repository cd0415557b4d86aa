import { useEffect, useLayoutEffect } from 'react';
import { useLocation } from 'react-router-dom';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { MENU } from './menu.js';

// Each page has a title of its own (`资源编目 - 汇通`): the shell sets the route's name from the
// menu as soon as the address changes (a layout effect), then a page that knows better (the
// resource's name, a heading) sets its own in a plain effect, which runs after it.

const EXTRA: Record<string, MessageKey> = { '/account': 'menu.account', '/login': 'login.title' };

/** The message key naming a path: its menu entry (the longest that matches), or none. */
export function routeTitleKey(pathname: string): MessageKey | undefined {
  if (EXTRA[pathname]) return EXTRA[pathname];
  let best: { path: string; label: MessageKey } | undefined;
  for (const group of MENU)
    for (const leaf of group.children)
      if (
        (pathname === leaf.path || pathname.startsWith(`${leaf.path}/`)) &&
        leaf.path.length > (best?.path.length ?? -1)
      )
        best = leaf;
  return best?.label;
}

/** Sets the document title to `title - 汇通` while the calling page shows (nothing when undefined). */
export function useDocumentTitle(title: string | undefined): void {
  const { t } = useI18n();
  useEffect(() => {
    if (title) document.title = `${title} - ${t('title.suffix')}`;
  }, [title, t]);
}

// The path the focus was last moved for, from the address the app was loaded at: module-wide, so
// that a shell mounted anew (the console's after the login page, which has no shell) still knows
// the address changed, while the first page loaded keeps the browser's own focus.
let focusedFor: string = window.location.pathname;

/**
 * For the shells: the route's title, and on every change of address after the first load, the
 * focus on the new page's main heading (h1 in #main) once it shows, so that a keyboard or screen
 * reader user starts at the page just opened instead of the top of the document.
 */
export function useRouteTitleAndFocus(): void {
  const { pathname } = useLocation();
  const { t } = useI18n();
  useLayoutEffect(() => {
    const key = routeTitleKey(pathname);
    document.title = key ? `${t(key)} - ${t('title.suffix')}` : t('app.name');
  }, [pathname, t]);
  useEffect(() => {
    if (focusedFor === pathname) return;
    focusedFor = pathname;
    let done = false;
    const tryFocus = () => {
      const heading = document.querySelector<HTMLElement>('#main h1');
      if (done || !heading) return false;
      done = true;
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: false });
      return true;
    };
    if (tryFocus()) return;
    // Pages load lazily and may show a spinner first: wait for the heading, for a while.
    const observer = new MutationObserver(() => {
      if (tryFocus()) observer.disconnect();
    });
    observer.observe(document.body, { childList: true, subtree: true });
    const timer = window.setTimeout(() => observer.disconnect(), 10_000);
    return () => {
      done = true;
      observer.disconnect();
      window.clearTimeout(timer);
    };
  }, [pathname]);
}
