// Service names for people: the web UI shows "Amazon Elastic Compute Cloud"
// where a person reads (chart labels, the narrative, suggestions, the
// insight panels) and keeps the product code "AmazonEC2" where a machine
// does (the SQL, the CSV, the table's service column beside its
// service_name column, "How I read it"). The names come from the data: the
// summary's service_names (GET /api/v1/data/summary), set by app.js on
// every summary, so an upload brings its own names. The parser reads the
// names as well as the codes, so a suggestion shown with names asks the
// same question; the few names it does not read back (the summary's
// service_names_unread: "AWS Support (Business)") keep their code in a
// question. No DOM here except relabelTextNodes().

let names = new Map(); // product code -> service name
let pattern = null; // the codes as one whole-word regular expression
let unread = new Set(); // codes whose name the parser does not read

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// map: {"AmazonEC2": "Amazon Elastic Compute Cloud", ...}; anything else
// forgets the names (the codes are then shown as they are). unreadCodes:
// the codes a question must keep.
export function setServiceNames(map, unreadCodes = []) {
  names = new Map();
  unread = new Set(Array.isArray(unreadCodes) ? unreadCodes : []);
  if (map && typeof map === 'object') {
    for (const [code, name] of Object.entries(map)) {
      if (typeof name === 'string' && name && name !== code) names.set(code, name);
    }
  }
  // longest first, so that a code that starts another one never wins
  const codes = [...names.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  pattern = codes.length ? new RegExp(`(?<![\\w-])(${codes.join('|')})(?![\\w-])`, 'g') : null;
}

// The name of one product code, or the text itself when it is not one.
export function serviceName(code) {
  return typeof code === 'string' ? names.get(code) ?? code : code;
}

// text with every product code in it, as a whole word, replaced by its name:
// "Break down AmazonEC2 by usage type" -> "Break down Amazon Elastic
// Compute Cloud by usage type"; "AmazonEC2 / NatGateway-Bytes" -> "Amazon
// Elastic Compute Cloud / NatGateway-Bytes".
export function withServiceNames(text) {
  if (typeof text !== 'string' || !pattern) return text;
  return text.replace(pattern, (code) => names.get(code) ?? code);
}

// The same for a question finq will read: codes whose name it does not read
// stay codes.
export function questionWithServiceNames(text) {
  if (typeof text !== 'string' || !pattern) return text;
  return text.replace(pattern, (code) => (unread.has(code) ? code : names.get(code) ?? code));
}

// The same, on the text of an element already built (a rendered narrative);
// code blocks keep their codes.
export function relabelTextNodes(root) {
  if (!pattern || !root) return root;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement?.closest('code, pre') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  for (const n of nodes) {
    const t = withServiceNames(n.nodeValue);
    if (t !== n.nodeValue) n.nodeValue = t;
  }
  return root;
}
