import Testing
@Test func placeholderOspreyRuntimeTests() {}
