import Testing
@Test func placeholderOspreyDaemonTests() {}
