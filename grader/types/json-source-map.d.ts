declare module 'json-source-map' {
  interface Loc { line: number; column: number; pos: number }
  export function parse(text: string): { data: unknown; pointers: Record<string, { value: Loc; valueEnd: Loc; key?: Loc; keyEnd?: Loc }> };
  const _default: { parse: typeof parse };
  export default _default;
}
