/**
 * The routes the app serves, by path pattern and method, so a known path
 * asked for with another method is a 405 with `Allow` rather than a 404.
 */
export class RouteTable {
  private readonly routes: Array<{ readonly pattern: RegExp; readonly methods: Set<string> }> = [];

  add(url: string, methods: readonly string[]): void {
    if (url === '*' || url.endsWith('*')) return;
    const source = `^${url.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`;
    let route = this.routes.find((candidate) => candidate.pattern.source === source);
    if (route === undefined) {
      route = { pattern: new RegExp(source), methods: new Set() };
      this.routes.push(route);
    }
    for (const method of methods) route.methods.add(method.toUpperCase());
  }

  /** The methods a path may be asked with; empty when no route matches it. */
  allowedFor(path: string): string[] {
    const allowed = new Set<string>();
    for (const route of this.routes) if (route.pattern.test(path)) for (const method of route.methods) allowed.add(method);
    return [...allowed].sort();
  }
}
