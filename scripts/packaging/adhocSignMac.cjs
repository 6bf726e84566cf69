// electron-builder afterPack hook (CommonJS: electron-builder require()s hooks, and this package is "type":
// "module"). Without an Apple Developer certificate the macOS app is built unsigned, and Apple Silicon refuses
// to start an arm64 app whose signature was invalidated by packaging ("is damaged"). An ad-hoc signature
// fixes that (users still confirm the first launch: right-click > Open). Skipped when a real identity is set
// through CSC_LINK / CSC_NAME, and on other platforms.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

exports.default = async function adhocSignMac(context) {
  if (context.electronPlatformName !== 'darwin') return;
  if (process.env.CSC_LINK || process.env.CSC_NAME) return;
  const app = join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`);
  execFileSync('codesign', ['--force', '--deep', '--sign', '-', app], { stdio: 'inherit' });
};
