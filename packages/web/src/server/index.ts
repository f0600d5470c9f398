export { registerPageRoutes } from './page-routes';
export { DEV_SIGN_IN_ROUTE, registerDevSignIn, type DevSignInOptions } from './dev-sign-in';
export { PAGE_DIR } from './page-dir';
