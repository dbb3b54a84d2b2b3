// Placeholder until the database test harness lands; replaced by the foundation work.
export default async function setup() {}
