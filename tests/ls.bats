load helpers

@test "ls: empty directories print only the heading" {
	run pipc ls
	assert_success
	assert_output "TYPE NAME SIZE OWNER MODE HOLDERS STATE VALUE MSGS"
}
