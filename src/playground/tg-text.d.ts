// `.tg` files imported by the playground are bundled as strings (esbuild's `text` loader).
declare module "*.tg" {
  const text: string;
  export default text;
}
