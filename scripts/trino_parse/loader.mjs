// Resolve the extension-less relative imports of dt-sql-parser's ES module build
// (it is written for bundlers; Node wants "./x.js"): try .js, then /index.js.
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    if (!specifier.startsWith('.')) throw e;
    for (const suffix of ['.js', '/index.js']) {
      try { return await next(specifier + suffix, context); } catch { /* next */ }
    }
    throw e;
  }
}
