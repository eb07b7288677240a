/**
 * Keeps the newest message in view, unless the customer scrolled up to read older ones. `pinned` is
 * measured on scroll, before anything is added, since a tall new message would look like "scrolled up".
 * Content that grows later (an image loads, a Retry appears) or a taller composer keeps the end in view.
 */
export function followEnd(scroller: HTMLElement, list: HTMLElement): (force?: boolean) => void {
  let pinned = true;
  scroller.addEventListener('scroll', () => {
    pinned = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  });
  const scrollToEnd = (force = false) => {
    if (force || pinned) scroller.scrollTop = scroller.scrollHeight;
  };
  const follow = new ResizeObserver(() => scrollToEnd());
  follow.observe(list);
  follow.observe(scroller);
  return scrollToEnd;
}
