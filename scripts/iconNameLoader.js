/**
 * Webpack loader for @fluentui/react-icons' sized icon modules (webpack.config.js): in production builds
 * each icon's display name (`createFluentIcon('Dismiss24Regular', "24", […])`) becomes "", so the bundle
 * carries the icons' paths and not 24 names that only React's developer tools would show. Development
 * builds keep the names.
 */
module.exports = function iconNameLoader(source) {
  return this.mode === "production" ? source.replace(/createFluentIcon\((["'])[A-Za-z0-9]+\1,/g, 'createFluentIcon("",') : source;
};
