name = input()
# Print the greeting here.
