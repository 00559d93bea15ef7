// The small markdown of finq's answers, rendered as DOM nodes: paragraphs,
// line breaks, "- " bullets, **bold** and `code`. Text only ever becomes text
// nodes (never innerHTML), so nothing in an answer can inject markup.

const INLINE = /\*\*([^*]+?)\*\*|`([^`]+?)`/g;

function appendInline(parent, text) {
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) parent.append(text.slice(last, m.index));
    const el = document.createElement(m[1] !== undefined ? 'strong' : 'code');
    el.textContent = m[1] ?? m[2];
    parent.append(el);
    last = m.index + m[0].length;
  }
  if (last < text.length) parent.append(text.slice(last));
}

const BULLET = /^\s*[-*•]\s+/;

export function renderMarkdown(text) {
  const frag = document.createDocumentFragment();
  const blocks = String(text ?? '').replace(/\r\n?/g, '\n').split(/\n{2,}/);
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    let para = null;
    let list = null;
    for (const line of lines) {
      if (BULLET.test(line)) {
        para = null;
        if (!list) {
          list = document.createElement('ul');
          frag.append(list);
        }
        const li = document.createElement('li');
        appendInline(li, line.replace(BULLET, ''));
        list.append(li);
      } else {
        list = null;
        if (para) {
          para.append(document.createElement('br'));
        } else {
          para = document.createElement('p');
          frag.append(para);
        }
        appendInline(para, line);
      }
    }
  }
  return frag;
}
