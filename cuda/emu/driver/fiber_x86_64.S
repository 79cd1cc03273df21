// Fiber switch for the emulated device's CUDA threads (x86-64 System V):
// saves the callee-saved registers, MXCSR and the x87 control word on the
// current stack, stores the stack pointer in *from and continues on to.
//   void vgemu_fiber_switch(void** from, void* to)
// A new fiber's stack is laid out by fiber.cc so that the switch "returns"
// into vgemu_fiber_start, which calls r13(r12).
	.text
	.globl vgemu_fiber_switch
	.hidden vgemu_fiber_switch
	.type vgemu_fiber_switch, @function
vgemu_fiber_switch:
	.cfi_startproc
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $16, %rsp
	stmxcsr 8(%rsp)
	fnstcw (%rsp)
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	fldcw (%rsp)
	ldmxcsr 8(%rsp)
	addq $16, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.cfi_endproc
	.size vgemu_fiber_switch, .-vgemu_fiber_switch

	.globl vgemu_fiber_start
	.hidden vgemu_fiber_start
	.type vgemu_fiber_start, @function
vgemu_fiber_start:
	.cfi_startproc
	.cfi_undefined rip
	movq %r12, %rdi
	callq *%r13
	ud2
	.cfi_endproc
	.size vgemu_fiber_start, .-vgemu_fiber_start

	.section .note.GNU-stack,"",@progbits
