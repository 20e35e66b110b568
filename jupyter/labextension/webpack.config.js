// Module ids by name, not by a hash that also depends on the folder the extension is built in: the committed
// build (dist/) is then the same wherever it is rebuilt (tests/test_labextension.py rebuilds it elsewhere).
module.exports = {
  optimization: { moduleIds: "named", chunkIds: "named" }
};
