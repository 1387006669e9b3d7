import Testing
@Test func placeholderOspreyCoreTests() {}
