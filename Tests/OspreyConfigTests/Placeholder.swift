import Testing
@Test func placeholderOspreyConfigTests() {}
