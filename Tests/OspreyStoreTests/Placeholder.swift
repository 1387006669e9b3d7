import Testing
@Test func placeholderOspreyStoreTests() {}
