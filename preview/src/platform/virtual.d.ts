/** Modules the preview build generates (see preview/build.ts); typed by ./buildData.ts. */
declare module "preview:seed" {
  const seed: unknown;
  export default seed;
}

declare module "preview:schema" {
  const schema: unknown;
  export default schema;
}
