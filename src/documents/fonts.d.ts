// Font files are bundled as Data modules (wrangler.toml [[rules]]): their bytes as an ArrayBuffer.
declare module "*.ttf" {
	const bytes: ArrayBuffer;
	export default bytes;
}
