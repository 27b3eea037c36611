// Stylesheets imported for their side effect: Vite bundles them into a file of the console's own.
declare module "*.css";
